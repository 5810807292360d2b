import Foundation
import Routing
import Synchronization

/// A breaker clock a test moves by hand, so the state machine's timing is
/// exact and no test sleeps.
final class BreakerTestClock: Sendable {
    private let now = Mutex<Double>(1_000)
    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    var clock: CircuitBreakerClock {
        CircuitBreakerClock(
            seconds: { [self] in now.withLock { $0 } },
            date: { [self] in start.addingTimeInterval(now.withLock { $0 } - 1_000) })
    }

    func advance(_ seconds: Double) { now.withLock { $0 += seconds } }
}
