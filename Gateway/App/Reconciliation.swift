import Payments
import PaymentsAPI
import Platform

/// Runs payments reconciliation every `interval` seconds in the background,
/// and on demand for operators. Payments left alone for `grace` seconds are
/// looked at.
public final class Reconciliation: Sendable {
    public struct Options: Sendable {
        public var interval: Double
        public var grace: Double

        public init(interval: Double = 60, grace: Double = 60) {
            self.interval = interval
            self.grace = grace
        }
    }

    let sweeper: PaymentsReconciliation
    private let periodic: PeriodicWork
    /// What the sweeps of this process did, for `/metrics`: sweeps run, and findings by what was found and done.
    private let tally = Tallied(Tally())

    struct Tally: Sendable {
        var sweeps = 0
        var failedSweeps = 0
        var examined = 0
        var actions: [ActionKey: Int] = [:]
    }

    struct ActionKey: Hashable, Sendable {
        var found: String
        var action: String
    }

    var figures: Tally { tally.read }

    init(sweeper: PaymentsReconciliation, interval: Double, log: Log) {
        self.sweeper = sweeper
        let tally = tally
        periodic = PeriodicWork(name: "banyan-reconcile", interval: interval) {
            do {
                try Reconciliation.sweep(sweeper, counting: tally)
            } catch {
                log.warning("reconciliation could not run", ["error": .string("\(error)")])
            }
        }
    }

    /// One sweep now (the operator's `POST /admin/reconciliation/run`), counted like the periodic ones.
    func sweep() throws -> ReconciliationSweep { try Reconciliation.sweep(sweeper, counting: tally) }

    @discardableResult
    private static func sweep(_ sweeper: PaymentsReconciliation, counting tally: Tallied<Tally>) throws -> ReconciliationSweep {
        do {
            let sweep = try sweeper.sweep()
            tally.update { tally in
                tally.sweeps += 1
                tally.examined += sweep.examined
                for finding in sweep.findings {
                    tally.actions[ActionKey(found: finding.found.rawValue, action: finding.action.rawValue), default: 0] += 1
                }
            }
            return sweep
        } catch {
            tally.update { $0.failedSweeps += 1 }
            throw error
        }
    }

    func start() { periodic.start() }

    func stop() { periodic.stop() }
}
