import Dispatch
import Platform
import Synchronization

/// The shadow calls waiting to be made, and the threads that make them.
///
/// A request thread only offers a job: one short lock and a semaphore
/// signal, never a wait. When `capacity` jobs already wait, the offer is
/// refused at once (the caller counts it as dropped): a slow or dead service
/// costs shadow comparisons, never the requests' latency or memory. The
/// workers are plain threads of their own (their calls block on libcurl),
/// so a shadow call never holds a request's worker.
package final class ShadowQueue: Sendable {
    package typealias Job = @Sendable () -> Void

    package let capacity: Int
    /// What the workers share with the queue: not the queue itself, so a
    /// queue nobody holds any more is deinitialized (and stops them).
    private final class Shared: Sendable {
        let jobs = Mutex<[Job]>([])
        /// One signal per job offered, and one per worker at stop.
        let available = DispatchSemaphore(value: 0)
        let stopping = Atomic<Bool>(false)
    }

    private let shared = Shared()
    private let workers: [PollingThread]

    /// Starts `workers` threads.
    package init(capacity: Int = 256, workers: Int = 2, name: String = "banyan-shadow") {
        precondition(capacity > 0 && workers > 0, "a shadow queue needs room and a worker")
        self.capacity = capacity
        self.workers = (0..<workers).map { [shared] index in
            PollingThread(name: "\(name)-\(index)") { _ in
                while true {
                    shared.available.wait()
                    if shared.stopping.load(ordering: .acquiring) { return }
                    let job = shared.jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                    job?()
                }
            }
        }
    }

    /// Queues `job` unless `capacity` jobs already wait; never blocks.
    /// - Returns: false when the job was refused (full, or stopped).
    @discardableResult
    package func offer(_ job: @escaping Job) -> Bool {
        guard !shared.stopping.load(ordering: .acquiring) else { return false }
        let queued = shared.jobs.withLock { jobs in
            guard jobs.count < capacity else { return false }
            jobs.append(job)
            return true
        }
        if queued { shared.available.signal() }
        return queued
    }

    /// Jobs waiting now (not the ones being run).
    package var pending: Int { shared.jobs.withLock { $0.count } }

    /// Stops the workers once their current job ends; waiting jobs are discarded.
    package func stop() {
        guard !shared.stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for _ in workers { shared.available.signal() }
        for thread in workers { thread.join() }
        shared.jobs.withLock { $0.removeAll() }
    }

    deinit { stop() }
}
