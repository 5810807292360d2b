import Flags
import FlagsAudit
import FlagsControl
import Foundation
import Platform
import Routing

/// The automatic rollback: when a module's service has had its breaker open,
/// without closing, for longer than the module's
/// `breaker.auto_rollback_after_seconds`, its tenants are moved back
/// in-process in flags.json — every explicit `service` pin set to
/// `in-process`, a `service` default made `in-process`, a `service` rollout
/// removed — through the control plane's one implementation
/// (`FlagsChanges.apply`: validated, written over the version read,
/// audited as actor `breaker`, reloaded).
///
/// Each gateway checks its own breakers every second. When several run and
/// see the same dead service, each writes over the version it read: the
/// first wins, the others get 412 `version_mismatch`, and their next check
/// finds no tenant left in that service and does nothing. A breaker whose
/// service homes nobody (rolled back, or moved by an operator) has its open
/// time restarted, so routing tenants there again gives the service the full
/// time before the next rollback.
final class BreakerRollback: Sendable {
    /// The audit trail's actor for these changes.
    static let actor = "breaker"

    private let work: PeriodicWork

    init(
        breakers: CircuitBreakers, flags: FlagsStore, changes: FlagsChanges, knownModules: Set<String>,
        interval: Double = 1, log: Log = .shared
    ) {
        let pass = Pass(breakers: breakers, flags: flags, changes: changes, knownModules: knownModules, log: log)
        work = PeriodicWork(name: "breaker-rollback", interval: interval) { _ = pass.run() }
    }

    func start() { work.start() }
    func stop() { work.stop() }

    /// The edits that home every tenant of the module in-process that the service serves now.
    static func edits(_ entry: FlagsDocument.Module) -> [FlagsEdit] {
        var edits: [FlagsEdit] = []
        // A rollout to the service goes; so does one to in-process under a service default, which
        // would otherwise be a rollout at the default's home once the default moves.
        if let rollout = entry.rollout,
            rollout.route == .service || (entry.defaultRoute == .service && rollout.route == .inProcess)
        {
            edits.append(.removeRollout(module: entry.name))
        }
        if entry.defaultRoute == .service { edits.append(.setDefault(module: entry.name, home: .inProcess)) }
        for (tenant, route) in entry.tenants where route == .service {
            edits.append(.setTenant(module: entry.name, tenant: tenant, home: .inProcess))
        }
        return edits
    }
}

extension BreakerRollback {
    /// One check of every breaker, with what it needs; `run` returns the modules it moved in-process.
    private struct Pass: Sendable {
        let breakers: CircuitBreakers
        let flags: FlagsStore
        let changes: FlagsChanges
        let knownModules: Set<String>
        let log: Log

        @discardableResult
        func run() -> [String] {
            let snapshot = flags.current
            var moved: [String] = []
            for state in breakers.snapshot(snapshot) where state.state != CircuitBreaker.State.closed.rawValue {
                guard let routing = snapshot.modules[state.module], snapshot.serviceURL(module: state.module) == state.url
                else {
                    // A URL flags.json no longer names: nobody is sent there.
                    breakers.existing(module: state.module, url: state.url)?.restartOpenClock()
                    continue
                }
                guard Self.homesTenants(routing) else {
                    breakers.existing(module: state.module, url: state.url)?.restartOpenClock()
                    continue
                }
                guard let after = routing.policy.breaker.effective.autoRollbackAfterSeconds,
                    let open = state.openForSeconds, open >= Double(after)
                else { continue }
                do {
                    if try rollBack(state, openFor: open, after: after) { moved.append(state.module) }
                    breakers.existing(module: state.module, url: state.url)?.restartOpenClock()
                } catch let problem as Problem where problem.status == 412 {
                    // Another gateway (or an operator) wrote first; the next check reads what it wrote.
                    log.info(
                        "breaker rollback lost a race", ["module": .string(state.module), "detail": .string(problem.detail)])
                } catch {
                    log.error(
                        "breaker rollback failed", ["module": .string(state.module), "error": .string("\(error)")])
                }
            }
            return moved
        }

        /// Whether some tenant's calls go to the service now (shadowed ones are served in-process).
        private static func homesTenants(_ routing: ModuleRouting) -> Bool {
            routing.defaultRoute == .service || routing.rollout?.route == .service
                || routing.tenants.values.contains(.service)
        }

        /// Writes the file with `state.module`'s service tenants in-process; false when the file homed none.
        private func rollBack(_ state: CircuitBreaker.Snapshot, openFor open: Double, after: Int) throws -> Bool {
            let file = try FlagsFileWriter.read(path: flags.path)
            let document = try FlagsDocument(parsing: file.bytes, knownModules: knownModules)
            guard document.serviceURL(state.module) == state.url, let entry = document.module(state.module) else {
                return false
            }
            let edited = try BreakerRollback.edits(entry).reduce(document) { document, edit in
                try document.applying(edit, knownModules: knownModules)
            }
            guard edited != document else { return false }
            let seconds = Int(open.rounded(.down))
            let reason =
                "circuit breaker: the \(state.module) service at \(state.url) has been open for \(seconds) s "
                + "(auto_rollback_after_seconds \(after)); its tenants moved in-process"
            let applied = try changes.apply(
                try WireJSON.decode(JSONValue.self, from: edited.bytes), expected: file.version, actor: BreakerRollback.actor,
                source: .api, reason: reason, forceReason: nil)
            log.warning(
                "breaker rolled a module back in-process",
                [
                    "module": .string(state.module), "url": .string(state.url), "open_seconds": .int(seconds),
                    "version": .string(applied.version), "audit_id": .int(Int(applied.auditID)),
                ])
            return true
        }
    }
}
