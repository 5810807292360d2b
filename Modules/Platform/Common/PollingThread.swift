import Dispatch
import Foundation
import Synchronization

/// A background thread that wakes up every so often (event delivery, the
/// flags watcher, checkout recovery): the flag that ends it, a semaphore
/// that cuts its sleep short so a stop never waits a whole interval, and a
/// group to join it. A plain thread, not a task: its work blocks on I/O.
public final class PollingThread: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let wakeup = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()
    /// `pthread_self()` of the running thread, 0 before it starts.
    private let threadID = Atomic<UInt>(0)

    /// Starts a thread running `body(self)`; `body` should return soon after `isStopping` turns true.
    public init(name: String, _ body: @escaping @Sendable (PollingThread) -> Void) {
        finished.enter()
        let thread = Thread { [self] in
            threadID.store(UInt(pthread_self()), ordering: .releasing)
            body(self)
            finished.leave()
        }
        thread.name = name
        thread.start()
    }

    public var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Asks the thread to end and wakes it if it sleeps.
    public func requestStop() {
        stopping.store(true, ordering: .releasing)
        wakeup.signal()
    }

    /// Sleeps up to `seconds`, less if a stop is requested.
    public func pause(_ seconds: Double) {
        guard !isStopping else { return }
        _ = wakeup.wait(timeout: .now() + seconds)
    }

    /// Waits until the thread has ended. Returns at once when called on
    /// that thread itself (a handler stopping its own dispatcher), which
    /// would otherwise wait forever.
    public func join() {
        guard !isCurrentThread else { return }
        finished.wait()
    }

    private var isCurrentThread: Bool { threadID.load(ordering: .acquiring) == UInt(pthread_self()) }
}
