import Dispatch
import Foundation
import Synchronization

/// The watcher's background thread: a stop flag, a semaphore that cuts its
/// sleep short so `stop()` does not wait a whole poll interval, and a group
/// to join it. A plain thread, not a task: the poll does blocking file I/O.
final class FlagsPoller: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let wakeup = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()
    /// `pthread_self()` of the running thread, so `join` from the thread itself returns.
    private let threadID = Atomic<UInt>(0)

    init(name: String, _ body: @escaping @Sendable (FlagsPoller) -> Void) {
        finished.enter()
        let thread = Thread { [self] in
            threadID.store(UInt(pthread_self()), ordering: .releasing)
            body(self)
            finished.leave()
        }
        thread.name = name
        thread.start()
    }

    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    func requestStop() {
        stopping.store(true, ordering: .releasing)
        wakeup.signal()
    }

    /// Sleeps up to `seconds`, less if a stop is requested.
    func pause(_ seconds: Double) {
        guard !isStopping else { return }
        _ = wakeup.wait(timeout: .now() + seconds)
    }

    func join() {
        guard threadID.load(ordering: .acquiring) != UInt(pthread_self()) else { return }
        finished.wait()
    }
}
