import Foundation
import Glibc

/// The time a circuit breaker reads: monotonic seconds for its durations (a
/// wall-clock step must not open or close it) and the wall clock for the
/// dates it reports. Tests inject one they move by hand.
public struct CircuitBreakerClock: Sendable {
    /// Seconds on a clock that only moves forward.
    public var seconds: @Sendable () -> Double
    public var date: @Sendable () -> Date

    public init(seconds: @escaping @Sendable () -> Double, date: @escaping @Sendable () -> Date) {
        self.seconds = seconds
        self.date = date
    }

    public static let system = CircuitBreakerClock(
        seconds: {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        },
        date: { Date() })
}
