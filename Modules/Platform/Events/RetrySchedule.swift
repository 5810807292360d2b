/// When a failed delivery is tried again: exponential backoff with jitter,
/// so a subscriber that is down is not hammered and many events failing
/// together do not all come back in the same instant.
struct RetrySchedule: Sendable {
    let maxAttempts: Int
    let baseBackoff: Double
    let maxBackoff: Double

    /// Seconds to wait after the `attempts`-th failure (1-based):
    /// `min(maxBackoff, baseBackoff * 2^(attempts-1))`, scaled by a random
    /// factor in 0.5...1.
    func delay(afterAttempts attempts: Int) -> Double {
        let exponent = Double(min(max(attempts - 1, 0), 60))
        let ceiling = min(maxBackoff, baseBackoff * pow2(exponent))
        guard ceiling > 0 else { return 0 }
        return Double.random(in: ceiling / 2...ceiling)
    }

    /// Whether the `attempts`-th failure is the last one allowed.
    func parks(afterAttempts attempts: Int) -> Bool { attempts >= maxAttempts }

    private func pow2(_ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(exponent) { result *= 2 }
        return result
    }
}
