import Payments
import PaymentsAPI
import Platform

/// Runs payments reconciliation every `interval` seconds in the background
/// (`BANYAN_RECONCILE_INTERVAL_SECONDS`, default 60), and on demand for
/// operators. Payments left alone for `grace` seconds
/// (`BANYAN_RECONCILE_GRACE_SECONDS`, default 60) are looked at.
public final class Reconciliation: Sendable {
    public struct Options: Sendable {
        public var interval: Double
        public var grace: Double

        public init(
            interval: Double = Double(Configuration.int("BANYAN_RECONCILE_INTERVAL_SECONDS", default: 60)),
            grace: Double = Double(Configuration.int("BANYAN_RECONCILE_GRACE_SECONDS", default: 60))
        ) {
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
