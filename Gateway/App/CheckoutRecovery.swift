import Foundation
import OrdersAPI
import Platform
import Synchronization

/// Finishes or compensates checkouts a crash left pending: once before the
/// gateway serves, then every `interval` seconds for orders older than
/// `grace` seconds (so another live process's checkout in flight is left alone).
public final class CheckoutRecovery: Sendable {
    public struct Options: Sendable {
        /// Pending orders younger than this are presumed in flight elsewhere.
        public var grace: Double
        public var interval: Double

        public init(
            grace: Double = Double(Configuration.int("BANYAN_RECOVERY_GRACE_SECONDS", default: 30)),
            interval: Double = 15
        ) {
            self.grace = grace
            self.interval = interval
        }
    }

    private let orders: any OrdersFacade
    private let options: Options
    private let log: Log
    private let thread = Mutex<PollingThread?>(nil)

    init(orders: any OrdersFacade, options: Options, log: Log) {
        self.orders = orders
        self.options = options
        self.log = log
    }

    func runOnce() {
        do {
            let settled = try orders.recoverInterruptedCheckouts(olderThan: options.grace)
            if settled > 0 { log.info("interrupted checkouts settled", ["count": .int(settled)]) }
        } catch {
            log.warning("checkout recovery could not run", ["error": .string("\(error)")])
        }
    }

    func start() {
        thread.withLock { running in
            guard running == nil else { return }
            running = PollingThread(name: "banyan-recovery") { [self] thread in
                thread.pause(options.interval)
                while !thread.isStopping {
                    runOnce()
                    thread.pause(options.interval)
                }
            }
        }
    }

    func stop() {
        guard let running = thread.withLock({ running in defer { running = nil }; return running }) else { return }
        running.requestStop()
        running.join()
    }
}
