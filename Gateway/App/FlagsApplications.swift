import Flags
import FlagsAudit
import FlagsControl
import Foundation
import Platform
import Synchronization

/// Records in the audit trail which flags.json version this gateway
/// instance routes by: once at start and after every load, from a
/// background thread that notices loads by `FlagsSnapshot.version` (the
/// per-process load counter), never on a request's path. The same thread
/// keeps this instance's heartbeat (`GatewayInstances`): at once after a
/// load, else every `GatewayInstances.beatInterval` seconds, and removed on
/// stop, so the running instances and their versions are known. A reload of a file
/// no recorded change wrote (edited by hand) is recorded first as a change
/// by actor `file`, with the diff the reload saw. A failed record (the
/// database away) is logged and tried again on the next tick.
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

    init(instance: String, flags: FlagsStore, audit: FlagsAuditLog, instances: GatewayInstances, log: Log) {
        let recorder = Recorder(instance: instance, flags: flags, audit: audit, instances: instances, log: log)
        self.recorder = recorder
        work = PeriodicWork(name: "banyan-flags-applied", interval: Self.interval) { recorder.tick() }
    }

    /// Records the version in force now, then every later one.
    func start() {
        recorder.tick()
        work.start()
    }

    /// Stops recording and says this instance is no longer running.
    func stop() {
        work.stop()
        recorder.leave()
    }

    /// Seconds a loaded version may go without a recorded change before it
    /// counts as a hand edit: the control plane writes the file before it
    /// records the change, and another gateway may load the file in between.
    static let handEditGrace = 2.0

    private final class Recorder: Sendable {
        let instance: String
        private let flags: FlagsStore
        private let audit: FlagsAuditLog
        private let instances: GatewayInstances
        private let log: Log
        private let started = Date()
        private let state = Mutex(State())
        /// The load the last heartbeat reported, and when it was sent (tried).
        private let beat = Mutex<(load: Int, at: Date)?>(nil)

        struct State {
            /// The load last recorded; nil until the first record succeeds.
            var recorded: Int?
            /// The snapshot that load published: what a hand edit is diffed against.
            var previous: FlagsSnapshot?
            /// The load waiting for a recorded change, and since when.
            var waiting: (load: Int, since: Date)?
        }

        init(instance: String, flags: FlagsStore, audit: FlagsAuditLog, instances: GatewayInstances, log: Log) {
            self.instance = instance
            self.flags = flags
            self.audit = audit
            self.instances = instances
            self.log = log
        }

        func tick() {
            recordIfLoaded()
            beatIfDue()
        }

        /// The heartbeat, with the version in force: at once when a load
        /// moved it, else when the last one is `beatInterval` old. A failed
        /// one (the database away) is tried again at the next interval.
        private func beatIfDue() {
            let snapshot = flags.current
            let now = Date()
            let due = beat.withLock { last -> Bool in
                guard let last else { return true }
                return last.load != snapshot.version || now.timeIntervalSince(last.at) >= GatewayInstances.beatInterval
            }
            guard due else { return }
            beat.withLock { $0 = (snapshot.version, now) }
            do {
                try instances.beat(instance: instance, version: snapshot.fileVersion?.description, startedAt: started)
            } catch {
                log.warning("could not record this gateway's heartbeat", ["instance": .string(instance), "error": .string("\(error)")])
            }
        }

        /// Removes the heartbeat: a stopped instance is not waited for.
        func leave() {
            do {
                try instances.remove(instance: instance)
            } catch {
                log.warning("could not remove this gateway's heartbeat", ["instance": .string(instance), "error": .string("\(error)")])
            }
        }

        /// Records the snapshot in force when its load has not been recorded
        /// yet; first, when it is a file no recorded change wrote (a hand
        /// edit), records that change, once across every gateway.
        private func recordIfLoaded() {
            let snapshot = flags.current
            let (recorded, previous, waiting) = state.withLock { ($0.recorded, $0.previous, $0.waiting) }
            guard recorded != snapshot.version else { return }
            // The built-in defaults come from no file: there is no version to record.
            guard let version = snapshot.fileVersion else {
                state.withLock { $0 = State(recorded: snapshot.version, previous: snapshot) }
                return
            }
            do {
                // The file in force at start is no change this process saw; a reload's file is.
                if let previous, previous.fileVersion != version, try !audit.hasChange(toVersion: version.description) {
                    let since = waiting?.load == snapshot.version ? waiting!.since : Date()
                    guard Date().timeIntervalSince(since) >= FlagsApplications.handEditGrace else {
                        state.withLock { $0.waiting = (snapshot.version, since) }
                        return
                    }
                    if let id = try audit.recordUnlessRecorded(handEdit(from: previous, to: snapshot, version: version)) {
                        log.info(
                            "flags.json edited by hand; change recorded",
                            ["version": .string(version.description), "audit_id": .int(Int(id))])
                    }
                }
                try audit.recordApplied(instance: instance, version: version.description)
                state.withLock { $0 = State(recorded: snapshot.version, previous: snapshot) }
            } catch {
                log.warning(
                    "could not record the flags version applied; trying again",
                    [
                        "instance": .string(instance), "version": .string(version.description),
                        "error": .string("\(error)"),
                    ])
            }
        }

        /// The change a reload saw: actor and source `file`, the gate never asked.
        private func handEdit(from previous: FlagsSnapshot, to snapshot: FlagsSnapshot, version: FlagsVersion)
            -> FlagChangeRecord
        {
            let preview = FlagsPreview(from: previous, to: snapshot, tenants: [String]())
            return FlagChangeRecord(
                actor: FlagChangeRecord.fileActor, source: .file, reason: nil,
                fromVersion: previous.fileVersion?.description, toVersion: version.description,
                before: previous.fileVersion == nil ? nil : previous.json, after: snapshot.json,
                changes: FlagsChanges.entries(preview), gate: GateVerdict(result: .unchecked))
        }
    }
}
