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
    private let stopping = Mutex<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)

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
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in
            while wake.wait(timeout: .now() + options.interval) == .timedOut {
                runOnce()
            }
            finished.signal()
        }
        thread.name = "banyan-recovery"
        thread.start()
    }

    func stop() {
        guard started.load(ordering: .acquiring) else { return }
        let first = stopping.withLock { stopping in
            defer { stopping = true }
            return !stopping
        }
        guard first else { return }
        wake.signal()
        finished.wait()
    }
}
