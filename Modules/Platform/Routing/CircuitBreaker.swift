import Flags
import Foundation
import Platform
import Synchronization

/// One module service's circuit breaker (one per module and URL): stops
/// calling a service that keeps failing, so its callers fail fast or go to
/// the module's fallback instead of each waiting out a timeout.
///
/// The settings are read by the caller from the flags snapshot on every call
/// (`ServicePolicy.breaker.effective`), so an edit applies on the next call.
/// The state machine is `CircuitBreakerMachine`; this adds the lock (held
/// for a few comparisons and one bucket update), the clock, and what counts
/// as a failure.
///
///     let ticket = breaker.admit(settings)
///     guard ticket.admitted else { … fallback or 503 … }
///     do { let response = try send(); breaker.record(.success, ticket, settings); return response }
///     catch { breaker.record(breaker.outcome(of: error), ticket, settings); throw error }
public final class CircuitBreaker: Sendable {
    public typealias State = CircuitBreakerMachine.State

    /// What a caller was allowed: hand it back to `record` with the outcome.
    public struct Ticket: Sendable {
        fileprivate let admission: CircuitBreakerMachine.Admission
        /// False: the breaker is open; do not call.
        public var admitted: Bool { admission != .refused }
        /// True for the one half-open call whose outcome closes or re-opens the breaker.
        public var isProbe: Bool { admission == .probe }
    }

    /// The breaker as status pages and metrics show it.
    public struct Snapshot: Sendable, Equatable, Codable {
        public let module: String
        public let url: String
        public let state: String
        public let consecutiveFailures: Int
        /// Calls, and failed calls, in the last `window_seconds`.
        public let windowCalls: Int
        public let windowFailures: Int
        /// Percent of the window's calls that failed; 0 without calls.
        public let errorRate: Int
        /// When it opened after last being closed; nil while closed.
        public let openedAt: Date?
        /// Seconds since then; nil while closed.
        public let openForSeconds: Double?
        public let lastFailure: String?
        public let lastFailureAt: Date?

        private enum CodingKeys: String, CodingKey {
            case module, url, state
            case consecutiveFailures = "consecutive_failures"
            case windowCalls = "window_calls"
            case windowFailures = "window_failures"
            case errorRate = "error_rate"
            case openedAt = "opened_at"
            case openForSeconds = "open_for_seconds"
            case lastFailure = "last_failure"
            case lastFailureAt = "last_failure_at"
        }
    }

    public let module: String
    public let url: String
    private let clock: CircuitBreakerClock
    private let machine = Mutex(CircuitBreakerMachine())

    public init(module: String, url: String, clock: CircuitBreakerClock = .system) {
        self.module = module
        self.url = url
        self.clock = clock
    }

    /// Whether a call may go through now.
    public func admit(_ settings: BreakerSettings.Effective) -> Ticket {
        let now = clock.seconds()
        return Ticket(admission: machine.withLock { $0.admit(at: now, settings) })
    }

    /// Counts how the call `ticket` admitted ended. Call it exactly once per admitted ticket.
    public func record(_ outcome: Outcome, _ ticket: Ticket, _ settings: BreakerSettings.Effective) {
        guard ticket.admitted else { return }
        let now = clock.seconds()
        machine.withLock { $0.record(outcome, of: ticket.admission, at: now, settings) }
    }

    public typealias Outcome = CircuitBreakerMachine.Outcome

    /// How a call's error counts: no usable answer from the service (refused,
    /// timed out, a 5xx that was not the module's, a garbled reply) is a
    /// failure; the module's own typed errors (a declined card, out of
    /// stock, not found) and `AccessDenied` are answers; so is a service
    /// passing on that *another* module it called is unavailable (that
    /// module's breaker is its caller's business, not this one's).
    ///
    /// Neither counts: a deadline that passed before sending, and this
    /// process's full bulkhead (`ModuleBusy`). The bulkhead is back-pressure
    /// of our own making — counting its refusals would open the breaker on
    /// load alone and turn every `module_busy` into `module_unavailable` —
    /// while the calls it holds each count when they time out.
    public func outcome(of error: any Error) -> Outcome {
        switch error {
        case let unavailable as ModuleUnavailable where unavailable.module == module:
            .failure(reason: unavailable.reason)
        case is ModuleUnavailable: .success
        case is ModuleBusy, is DeadlineExceeded: .neutral
        default: .success
        }
    }

    /// The state now, with `settings`' window.
    public func snapshot(_ settings: BreakerSettings.Effective) -> Snapshot {
        let now = clock.seconds()
        let date = clock.date()
        let machine = machine.withLock { $0 }
        let window = machine.window(at: now, settings)
        let down = machine.downSince.map { now - $0 }
        return Snapshot(
            module: module, url: url, state: machine.state.rawValue, consecutiveFailures: machine.consecutiveFailures,
            windowCalls: window.calls, windowFailures: window.failures,
            errorRate: window.calls == 0 ? 0 : window.failures * 100 / window.calls,
            openedAt: down.map { date.addingTimeInterval(-$0) }, openForSeconds: down,
            lastFailure: machine.lastFailure?.reason,
            lastFailureAt: machine.lastFailure.map { date.addingTimeInterval(-(now - $0.at)) })
    }

    /// Restarts the count of how long it has been open, if it is: the gateway
    /// calls this once it has moved the service's tenants in-process, so a
    /// later move back to a service still down is rolled back again after
    /// the full time, not at once.
    public func restartOpenClock() {
        let now = clock.seconds()
        machine.withLock { $0.restartDownClock(at: now) }
    }
}
