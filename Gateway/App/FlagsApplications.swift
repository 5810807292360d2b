import Flags
import FlagsAudit
import Foundation
import Platform
import Synchronization

/// Records in the audit trail which flags.json version this gateway
/// instance routes by: once at start and after every load, from a
/// background thread that notices loads by `FlagsSnapshot.version` (the
/// per-process load counter), never on a request's path. A failed record
/// (the database away) is logged and tried again on the next tick.
final class FlagsApplications: Sendable {
    /// Seconds between looks at the load counter: how late, at most, an
    /// applied version shows in `ops.flag_applications` after a load.
    static let interval = 0.5

    /// `BANYAN_INSTANCE_ID` when set, else `<hostname>:<pid>`: what names
    /// this process in `ops.flag_applications`. Stable across a restart only
    /// when set; the default tells apart processes on one host.
    static func defaultInstance(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let id = environment["BANYAN_INSTANCE_ID"], !id.trimmingCharacters(in: .whitespaces).isEmpty {
            return id
        }
        return "\(ProcessInfo.processInfo.hostName):\(getpid())"
    }

    var instance: String { recorder.instance }
    private let recorder: Recorder
    private let work: PeriodicWork

    init(instance: String, flags: FlagsStore, audit: FlagsAuditLog, log: Log) {
        let recorder = Recorder(instance: instance, flags: flags, audit: audit, log: log)
        self.recorder = recorder
        work = PeriodicWork(name: "banyan-flags-applied", interval: Self.interval) { recorder.recordIfLoaded() }
    }

    /// Records the version in force now, then every later one.
    func start() {
        recorder.recordIfLoaded()
        work.start()
    }

    func stop() {
        work.stop()
    }

    private final class Recorder: Sendable {
        let instance: String
        private let flags: FlagsStore
        private let audit: FlagsAuditLog
        private let log: Log
        /// The load last recorded; nil until the first record succeeds.
        private let recorded = Mutex<Int?>(nil)

        init(instance: String, flags: FlagsStore, audit: FlagsAuditLog, log: Log) {
            self.instance = instance
            self.flags = flags
            self.audit = audit
            self.log = log
        }

        /// Records the snapshot in force when its load has not been recorded yet.
        func recordIfLoaded() {
            let snapshot = flags.current
            guard recorded.withLock({ $0 }) != snapshot.version else { return }
            // The built-in defaults come from no file: there is no version to record.
            guard let version = snapshot.fileVersion else {
                recorded.withLock { $0 = snapshot.version }
                return
            }
            do {
                try audit.recordApplied(instance: instance, version: version.description)
                recorded.withLock { $0 = snapshot.version }
            } catch {
                log.warning(
                    "could not record the flags version applied; trying again",
                    [
                        "instance": .string(instance), "version": .string(version.description),
                        "error": .string("\(error)"),
                    ])
            }
        }
    }
}
