import Flags

/// The circuit breaker's state machine, apart from locks and clocks: every
/// method takes the time (monotonic seconds) and the settings in force, so
/// tests drive it by hand and a settings change applies on the next call.
///
/// - **closed**: calls go through. It counts consecutive failures and keeps
///   a window of outcomes in one-second buckets; it opens when consecutive
///   failures reach `failures`, or when the window holds at least
///   `minimum_calls` calls of which `error_rate` percent or more failed.
/// - **open**: calls are refused without calling, for `open_seconds`.
/// - **half-open**: after that, exactly one call at a time goes through as a
///   probe (the others are refused as while open); its success closes the
///   breaker, with its counts reset, its failure opens it again.
public struct CircuitBreakerMachine: Sendable {
    public enum State: String, Sendable {
        case closed
        case open
        case halfOpen = "half-open"
    }

    /// What a caller may do now.
    public enum Admission: Sendable, Equatable {
        /// Call, as any call.
        case call
        /// Call as the half-open probe: its outcome decides the state.
        case probe
        /// Do not call: the service is held to be down.
        case refused
    }

    /// How a call that went through ended, as the breaker counts it.
    public enum Outcome: Sendable, Equatable {
        /// The service answered: a result, or one of the module's own errors.
        case success
        /// No usable answer from the service (`ModuleUnavailable` of this module).
        case failure(reason: String)
        /// Nothing learnt about the service (not sent: the deadline passed, or the bulkhead was full).
        case neutral
    }

    /// One second of outcomes; `second` tells a live bucket from a stale one in the ring.
    private struct Bucket: Sendable {
        var second = Int64.min
        var calls = 0
        var failures = 0
    }

    public private(set) var state = State.closed
    public private(set) var consecutiveFailures = 0
    /// When it last opened (or re-opened after a failed probe): `open_seconds` counts from here.
    public private(set) var openedAt: Double?
    /// When it opened after last being closed: how long the service has been held down,
    /// which a failed probe does not restart.
    public private(set) var downSince: Double?
    public private(set) var lastFailure: (reason: String, at: Double)?
    private var probeInFlight = false
    private var buckets: [Bucket] = []

    public init() {}

    /// Whether a call may go through at `now`.
    public mutating func admit(at now: Double, _ settings: BreakerSettings.Effective) -> Admission {
        switch state {
        case .closed:
            return .call
        case .open:
            guard let openedAt, now - openedAt >= Double(settings.openSeconds) else { return .refused }
            state = .halfOpen
            probeInFlight = true
            return .probe
        case .halfOpen:
            // A probe whose outcome said nothing (`neutral`) leaves the slot free for the next caller.
            guard !probeInFlight else { return .refused }
            probeInFlight = true
            return .probe
        }
    }

    /// Counts how a call admitted as `admission` ended.
    public mutating func record(
        _ outcome: Outcome, of admission: Admission, at now: Double, _ settings: BreakerSettings.Effective
    ) {
        if case .failure(let reason) = outcome { lastFailure = (reason, now) }
        if admission == .probe {
            probeInFlight = false
            switch outcome {
            case .success: close()
            case .failure: reopen(at: now)
            case .neutral: break
            }
            return
        }
        // A call admitted while closed that ends after the breaker opened says nothing new.
        guard state == .closed, admission == .call else { return }
        switch outcome {
        case .neutral:
            return
        case .success:
            consecutiveFailures = 0
            count(failed: false, at: now, settings)
        case .failure:
            consecutiveFailures += 1
            count(failed: true, at: now, settings)
            if consecutiveFailures >= settings.failures || errorRateReached(at: now, settings) {
                downSince = now
                reopen(at: now)
            }
        }
    }

    /// Restarts the count of how long the service has been down, while it stays down:
    /// what the gateway does once it has acted on that time (moved the service's tenants).
    public mutating func restartDownClock(at now: Double) {
        if state != .closed { downSince = now }
    }

    /// Calls and failed calls in the window ending at `now`.
    public func window(at now: Double, _ settings: BreakerSettings.Effective) -> (calls: Int, failures: Int) {
        let second = Int64(now.rounded(.down))
        let oldest = second - Int64(settings.windowSeconds) + 1
        var calls = 0
        var failures = 0
        for bucket in buckets where bucket.second >= oldest && bucket.second <= second {
            calls += bucket.calls
            failures += bucket.failures
        }
        return (calls, failures)
    }

    private func errorRateReached(at now: Double, _ settings: BreakerSettings.Effective) -> Bool {
        let (calls, failures) = window(at: now, settings)
        return calls >= settings.minimumCalls && failures * 100 >= settings.errorRate * calls
    }

    private mutating func count(failed: Bool, at now: Double, _ settings: BreakerSettings.Effective) {
        // Allocated once per window size: a settings change starts a fresh window.
        if buckets.count != settings.windowSeconds {
            buckets = Array(repeating: Bucket(), count: settings.windowSeconds)
        }
        let second = Int64(now.rounded(.down))
        let index = Int(second.magnitude % UInt64(buckets.count))
        if buckets[index].second != second { buckets[index] = Bucket(second: second) }
        buckets[index].calls += 1
        if failed { buckets[index].failures += 1 }
    }

    private mutating func reopen(at now: Double) {
        state = .open
        openedAt = now
        if downSince == nil { downSince = now }
    }

    private mutating func close() {
        state = .closed
        consecutiveFailures = 0
        openedAt = nil
        downSince = nil
        for index in buckets.indices { buckets[index] = Bucket() }
    }
}
