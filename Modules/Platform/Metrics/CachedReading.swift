import Dispatch
import Synchronization

/// A figure that is costly to read (a count in the database), read at most
/// once per `maximumAge` seconds however often it is asked for: a collector
/// wraps its query in one so scrapes, however frequent, never become the
/// database's load. A failed read keeps the last good value.
public final class CachedReading<Value: Sendable>: Sendable {
    private let maximumAge: Double
    private let read: @Sendable () throws -> Value
    /// Held across the read, so concurrent scrapes wait for one query instead of each running it.
    private let state = Mutex<(value: Value?, readAt: UInt64?)>((nil, nil))

    public init(maximumAge: Double, _ read: @escaping @Sendable () throws -> Value) {
        self.maximumAge = maximumAge
        self.read = read
    }

    /// The cached value when fresh, else a new reading; nil only when no read has succeeded yet.
    public var value: Value? {
        state.withLock { state in
            let now = DispatchTime.now().uptimeNanoseconds
            if let readAt = state.readAt, Double(now &- readAt) / 1e9 < maximumAge { return state.value }
            // A failure is remembered too, so a database that is down is asked once per period, not per scrape.
            state.readAt = now
            if let fresh = try? read() { state.value = fresh }
            return state.value
        }
    }
}
