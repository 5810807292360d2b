import Platform
import Synchronization

/// Work a gateway repeats in the background (checkout recovery,
/// reconciliation): one `PollingThread` running `work` every `interval`
/// seconds between `start()` and `stop()`.
final class PeriodicWork: Sendable {
    private let name: String
    private let interval: Double
    private let work: @Sendable () -> Void
    private let thread = Mutex<PollingThread?>(nil)

    init(name: String, interval: Double, work: @escaping @Sendable () -> Void) {
        self.name = name
        self.interval = max(interval, 0.1)
        self.work = work
    }

    func start() {
        thread.withLock { running in
            guard running == nil else { return }
            running = PollingThread(name: name) { [interval, work] thread in
                thread.pause(interval)
                while !thread.isStopping {
                    work()
                    thread.pause(interval)
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
