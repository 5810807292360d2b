import Platform
import Synchronization

/// Caps the calls this process has in flight to one module's services.
///
/// A slow service would otherwise hold a worker thread per waiting call
/// until every worker waits on it, and every tenant and module of this
/// process with them. With the cap, calls beyond it fail at once with
/// `ModuleBusy` (never sent), so the slow service's own callers get quick
/// 503s and everyone else keeps their workers and their latency.
public final class Bulkhead: Sendable {
    public let module: String
    public let limit: Int
    private let inFlight = Atomic<Int>(0)

    public init(module: String, limit: Int) {
        precondition(limit > 0, "a bulkhead needs room for at least one call")
        self.module = module
        self.limit = limit
    }

    /// Runs `call` when there is room, else throws `ModuleBusy` without running it.
    public func run<Result>(_ call: () throws -> Result) throws -> Result {
        guard inFlight.add(1, ordering: .acquiringAndReleasing).newValue <= limit else {
            inFlight.subtract(1, ordering: .acquiringAndReleasing)
            throw ModuleBusy(module: module)
        }
        defer { inFlight.subtract(1, ordering: .acquiringAndReleasing) }
        return try call()
    }

    /// Calls in flight now (for tests and metrics).
    public var current: Int { inFlight.load(ordering: .relaxed) }
}
