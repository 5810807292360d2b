import Dispatch
import Foundation
import Synchronization

/// A request handed to the worker pool, and where its response must go.
struct WorkerJob: Sendable {
    let loop: EventLoop
    let fd: Int32
    let connectionID: UInt64
    let sequence: UInt64
    let request: HTTPRequest
    let persistence: ResponseEncoder.Persistence
}

/// A fixed set of threads running handlers, fed by a bounded queue.
///
/// Handlers are plain blocking functions (libpq, libcurl), so they run on
/// dedicated threads, never on an event loop or Swift's cooperative pool.
/// `submit` refuses work beyond `capacity`, which the loop answers with 503.
final class WorkerPool: Sendable {
    private struct Queue {
        var jobs = RingBuffer<WorkerJob>(initialCapacity: 64)
        var stopping = false
    }

    private let queue = Mutex(Queue())
    /// Counts jobs (plus one wake-up per thread at stop); a worker takes one per job.
    private let ready = DispatchSemaphore(value: 0)
    private let capacity: Int
    private let threadCount: Int

    init(threadCount: Int, capacity: Int) {
        self.threadCount = max(1, threadCount)
        self.capacity = max(1, capacity)
    }

    func start(name: String) {
        for index in 0..<threadCount {
            let thread = Thread { [self] in work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Queues `job`; false when the queue is full or the pool has stopped.
    func submit(_ job: WorkerJob) -> Bool {
        let accepted = queue.withLock { queue in
            guard !queue.stopping, queue.jobs.count < capacity else { return false }
            queue.jobs.append(job)
            return true
        }
        if accepted { ready.signal() }
        return accepted
    }

    /// Drops queued jobs (nobody is left to read their answers) and lets
    /// every thread exit once its current handler returns.
    func stop() {
        queue.withLock { queue in
            queue.stopping = true
            queue.jobs.removeAll()
        }
        for _ in 0..<threadCount { ready.signal() }
    }

    private func work() {
        while true {
            ready.wait()
            let next: WorkerJob?? = queue.withLock { queue in
                if let job = queue.jobs.popFirst() { return job }
                return queue.stopping ? .some(nil) : nil
            }
            switch next {
            case .some(.some(let job)): job.loop.perform(job)
            case .some(.none): return
            case .none: continue
            }
        }
    }
}
