import Flags
import Synchronization

/// Every circuit breaker of one process: one per module and service URL, made
/// on the first call there. A service moved to a new URL gets a fresh
/// breaker; the old URL's stays (it is small) and is reported as it was.
public final class CircuitBreakers: Sendable {
    private let clock: CircuitBreakerClock
    private let breakers = Mutex<[Key: CircuitBreaker]>([:])

    private struct Key: Hashable {
        let module: String
        let url: String
    }

    public init(clock: CircuitBreakerClock = .system) {
        self.clock = clock
    }

    /// The breaker of `module`'s service at `url`.
    public func breaker(module: String, url: String) -> CircuitBreaker {
        breakers.withLock { breakers in
            let key = Key(module: module, url: url)
            if let breaker = breakers[key] { return breaker }
            let breaker = CircuitBreaker(module: module, url: url, clock: clock)
            breakers[key] = breaker
            return breaker
        }
    }

    /// Every breaker's state, by module then URL, each with its module's settings in `flags`.
    public func snapshot(_ flags: FlagsSnapshot) -> [CircuitBreaker.Snapshot] {
        let all = breakers.withLock { Array($0.values) }
        return all.sorted { ($0.module, $0.url) < ($1.module, $1.url) }.map { breaker in
            breaker.snapshot((flags.modules[breaker.module]?.policy ?? .standard).breaker.effective)
        }
    }

    /// The breaker of `module` at `url` when one was made (a call went there).
    public func existing(module: String, url: String) -> CircuitBreaker? {
        breakers.withLock { $0[Key(module: module, url: url)] }
    }
}
