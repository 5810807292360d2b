import Foundation
import Glibc

/// How far a `CallContext.deadline` is. Read straight from `clock_gettime`:
/// `Date()` costs several times more, and the local path checks it per call.
enum DeadlineClock {
    /// Seconds until `deadline`; zero or less once it has passed.
    static func secondsLeft(until deadline: Date) -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return deadline.timeIntervalSince1970 - (Double(now.tv_sec) + Double(now.tv_nsec) / 1e9)
    }
}
