import Foundation
import Orders
import OrdersAPI
import Platform

/// Settles pending checkouts nobody is working on (their claim ran out: a
/// crashed process, an outcome that was unknown): once before the gateway
/// serves, then every `interval` seconds. Claims make it safe to run in
/// every gateway process at once.
public final class CheckoutRecovery: Sendable {
    public struct Options: Sendable {
        /// Seconds a claim on a pending checkout lasts at least: a checkout
        /// is taken over no sooner than this after its last claimant stopped renewing.
        public var grace: Double
        /// Seconds between passes.
        public var interval: Double
        /// Seconds each remote call of a recovery may take.
        public var callTimeout: Double

        public init(grace: Double = 30, interval: Double = 5, callTimeout: Double = 10) {
            self.grace = grace
            self.interval = max(interval, 0.1)
            self.callTimeout = callTimeout
        }

        /// The claims the checkout saga takes.
        var checkout: CheckoutOptions { CheckoutOptions(recoveryGrace: grace, recoveryInterval: interval) }
    }

    private let orders: OrdersService
    private let options: Options
    private let log: Log
    private let periodic: PeriodicWork
    /// What this process's passes did, for `/metrics`.
    private let tally: Tallied<Tally>

    struct Tally: Sendable {
        var passes = 0
        var failedPasses = 0
        /// Pending checkouts settled (completed or compensated).
        var settled = 0
    }

    var figures: Tally { tally.read }

    init(orders: OrdersService, options: Options, log: Log) {
        self.orders = orders
        self.options = options
        self.log = log
        let tally = Tallied(Tally())
        self.tally = tally
        periodic = PeriodicWork(name: "banyan-recovery", interval: options.interval) { [orders, options, log] in
            _ = CheckoutRecovery.pass(orders: orders, options: options, log: log, tally: tally)
        }
    }

    /// One pass now; what it settled.
    @discardableResult
    func runOnce() -> Int { CheckoutRecovery.pass(orders: orders, options: options, log: log, tally: tally) }

    func start() { periodic.start() }

    func stop() { periodic.stop() }

    private static func pass(orders: OrdersService, options: Options, log: Log, tally: Tallied<Tally>) -> Int {
        do {
            let settled = try orders.recoverPendingCheckouts(callTimeout: options.callTimeout)
            tally.update { tally in
                tally.passes += 1
                tally.settled += settled
            }
            if settled > 0 { log.info("pending checkouts settled", ["count": .int(settled)]) }
            return settled
        } catch {
            tally.update { $0.failedPasses += 1 }
            log.warning("checkout recovery could not run", ["error": .string("\(error)")])
            return 0
        }
    }
}
