import AuthAPI
import Dispatch
import Foundation
import HTTPServer
import Platform

/// What stands between a login flood and the password checks: attempt limits
/// per client address and per tenant and username, then a cap on password
/// checks running at once. In memory and per gateway, so each node enforces
/// its own limits.
///
/// A refused login gets 429 with `Retry-After` and no password check at all:
/// `too_many_attempts` (address or username over its limit; for a username,
/// even with the right password, until its window ends) or `too_many_logins`
/// (every slot busy).
public final class LoginThrottle: Sendable {
    /// Every limit, from the environment, with the defaults documented per field.
    public struct Configuration: Sendable {
        /// Password checks at once: `BANYAN_LOGIN_MAX_CONCURRENT`, by default the number of cores.
        public var maxConcurrentChecks: Int
        /// Seconds a login waits for a free check before `too_many_logins`:
        /// `BANYAN_LOGIN_MAX_WAIT_MS`, 100 ms.
        public var maxWait: Double
        /// Failed logins per tenant and username per window: `BANYAN_LOGIN_MAX_FAILURES`, 5.
        public var maxFailures: Int
        /// `BANYAN_LOGIN_FAILURE_WINDOW_SECONDS`, 300.
        public var failureWindow: Double
        /// Login attempts per client address per window: `BANYAN_LOGIN_MAX_PER_ADDRESS`, 30.
        public var maxAttemptsPerAddress: Int
        /// `BANYAN_LOGIN_ADDRESS_WINDOW_SECONDS`, 60.
        public var addressWindow: Double
        /// Usernames, and addresses, remembered at most (each): `BANYAN_LOGIN_TRACKED_KEYS`, 20000.
        public var trackedKeys: Int
        /// Peers whose `X-Forwarded-For` names the client: `BANYAN_TRUSTED_PROXIES`,
        /// comma-separated IPs, none by default.
        public var trustedProxies: Set<String>

        public init(
            maxConcurrentChecks: Int = ProcessInfo.processInfo.activeProcessorCount, maxWait: Double = 0.1,
            maxFailures: Int = 5, failureWindow: Double = 300, maxAttemptsPerAddress: Int = 30,
            addressWindow: Double = 60, trackedKeys: Int = 20_000, trustedProxies: Set<String> = []
        ) {
            self.maxConcurrentChecks = maxConcurrentChecks
            self.maxWait = maxWait
            self.maxFailures = maxFailures
            self.failureWindow = failureWindow
            self.maxAttemptsPerAddress = maxAttemptsPerAddress
            self.addressWindow = addressWindow
            self.trackedKeys = trackedKeys
            self.trustedProxies = trustedProxies
        }
    }

    private let failures: AttemptCounter
    private let addresses: AttemptCounter
    private let checks: PasswordCheckSlots
    let clientAddress: ClientAddress

    public init(_ configuration: Configuration = Configuration()) {
        failures = AttemptCounter(
            limit: configuration.maxFailures, window: configuration.failureWindow,
            capacity: configuration.trackedKeys)
        addresses = AttemptCounter(
            limit: configuration.maxAttemptsPerAddress, window: configuration.addressWindow,
            capacity: configuration.trackedKeys)
        checks = PasswordCheckSlots(limit: configuration.maxConcurrentChecks, maxWait: configuration.maxWait)
        clientAddress = ClientAddress(trustedProxies: configuration.trustedProxies)
    }

    /// Runs `login` (which checks a password) if the limits allow it; throws
    /// `LoginRefusal` when they do not.
    ///
    /// The username's attempt is counted before the check, so concurrent
    /// guesses cannot all slip under the limit, and taken back when the
    /// password proves right or no password was checked.
    func attempt<T>(
        tenant: TenantID, username: String, from request: HTTPRequest, _ login: () throws -> T
    ) throws -> T {
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        if let wait = addresses.admit(clientAddress.of(request), now: now) {
            throw LoginRefusal.tooManyFromAddress(retryAfter: wait)
        }
        // Lower-cased as the database compares usernames, so `Admin` and
        // `ADMIN` share one budget.
        let account = tenant.value + "\u{0}" + username.lowercased()
        if let wait = failures.admit(account, now: now) {
            throw LoginRefusal.tooManyFailures(retryAfter: wait)
        }
        do {
            guard let result = try checks.withSlot(login) else {
                failures.forgive(account)
                throw LoginRefusal.busy
            }
            failures.reset(account)
            return result
        } catch let error as AuthError where error == .invalidCredentials {
            throw error
        } catch let error as AuthError where error == .userDisabled {
            // The password was right: no guess to count.
            failures.reset(account)
            throw error
        } catch let refusal as LoginRefusal {
            throw refusal
        } catch {
            failures.forgive(account)
            throw error
        }
    }
}
