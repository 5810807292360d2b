import Dispatch
import Synchronization

/// A gate that opens once and stays open: `wait()` blocks until `open()`.
/// Any number of threads may wait.
final class Latch: Sendable {
    private let isOpen = Mutex(false)
    private let semaphore = DispatchSemaphore(value: 0)

    func open() {
        let first = isOpen.withLock { open in
            defer { open = true }
            return !open
        }
        if first { semaphore.signal() }
    }

    var isOpened: Bool { isOpen.withLock { $0 } }

    func wait() {
        if isOpened { return }
        semaphore.wait()
        // Pass the single signal on to the next waiter.
        semaphore.signal()
    }
}
