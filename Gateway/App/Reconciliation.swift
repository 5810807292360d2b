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

    init(sweeper: PaymentsReconciliation, interval: Double, log: Log) {
        self.sweeper = sweeper
        periodic = PeriodicWork(name: "banyan-reconcile", interval: interval) {
            do {
                try sweeper.sweep()
            } catch {
                log.warning("reconciliation could not run", ["error": .string("\(error)")])
            }
        }
    }

    func start() { periodic.start() }

    func stop() { periodic.stop() }
}
