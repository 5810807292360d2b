import Synchronization

/// What every event loop and worker of one server shares.
final class ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let responder: any HTTPResponder
    let limits: RequestLimits
    let workers: WorkerPool
    /// Connections holding a place under `maxConnections`, across all loops.
    let activeConnections = Atomic<Int>(0)
    /// Set once shutdown begins (the lame duck, then the drain): responses
    /// finished from now on say `connection: close`, readiness answers 503.
    let draining = Atomic<Bool>(false)

    let headerTimeout: UInt64
    let bodyTimeout: UInt64
    let idleTimeout: UInt64

    init(configuration: HTTPServerConfiguration, responder: any HTTPResponder) {
        self.configuration = configuration
        self.responder = responder
        self.limits = RequestLimits(configuration)
        self.workers = WorkerPool(threadCount: configuration.workerCount, capacity: configuration.maxQueuedRequests)
        self.headerTimeout = MonotonicClock.nanoseconds(configuration.headerReadTimeout)
        self.bodyTimeout = MonotonicClock.nanoseconds(configuration.bodyReadTimeout)
        self.idleTimeout = MonotonicClock.nanoseconds(configuration.idleTimeout)
    }

    /// Takes a place for a new connection; false when the server is full.
    func admitConnection() -> Bool {
        let count = activeConnections.wrappingAdd(1, ordering: .relaxed).newValue
        if count > max(1, configuration.maxConnections) {
            activeConnections.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func releaseConnection() {
        activeConnections.wrappingSubtract(1, ordering: .relaxed)
    }
}
