import Bootstrap
import Gateway
import HTTPServer
import Platform

/// The gateway's settings, read from the environment (or `.env`) here, once,
/// at the edge. The library's types take plain values and default to
/// constants, so a test gets exactly what it passes and nothing from the
/// machine it runs on; each setting falls back to that constant.
enum GatewaySettings {
    /// `BANYAN_HOST`, `BANYAN_PORT`, `BANYAN_WORKERS`, `BANYAN_SHUTDOWN_DELAY_MS`.
    static func server() -> HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration()
        configuration.host = Configuration.value("BANYAN_HOST") ?? "127.0.0.1"
        configuration.port = Configuration.int("BANYAN_PORT", default: 8000)
        configuration.workerCount = Configuration.int("BANYAN_WORKERS", default: configuration.workerCount)
        ShutdownSettings.apply(to: &configuration)
        return configuration
    }

    /// `BANYAN_INTERNAL_HOST` (loopback), `BANYAN_INTERNAL_PORT` (8001),
    /// `BANYAN_WORKERS`, `BANYAN_SHUTDOWN_DELAY_MS`: where services reach the
    /// modules homed in this process.
    static func internalListener() -> HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration()
        configuration.host = Configuration.value("BANYAN_INTERNAL_HOST") ?? "127.0.0.1"
        configuration.port = Configuration.int("BANYAN_INTERNAL_PORT", default: 8001)
        configuration.workerCount = Configuration.int("BANYAN_WORKERS", default: configuration.workerCount)
        ShutdownSettings.apply(to: &configuration)
        return configuration
    }

    /// `BANYAN_REQUEST_TIMEOUT_MS`: every `/api/v1` request's deadline.
    static func requestTimeout() -> Double {
        milliseconds("BANYAN_REQUEST_TIMEOUT_MS", default: Gateway.defaultRequestTimeout)
    }

    /// `BANYAN_SERVICE_CONNECT_TIMEOUT_MS`, `BANYAN_SERVICE_TIMEOUT_MS`,
    /// `BANYAN_SERVICE_MAX_INFLIGHT`: read as every service reads them.
    static func serviceCalls(secret: [UInt8]) -> Gateway.ServiceCalls {
        RoutingSetup.serviceCalls(secret: secret)
    }

    /// `BANYAN_RECOVERY_GRACE_SECONDS`, `BANYAN_RECOVERY_INTERVAL_SECONDS`;
    /// a recovery's calls get as long as a request.
    static func recovery() -> CheckoutRecovery.Options {
        let defaults = CheckoutRecovery.Options()
        return CheckoutRecovery.Options(
            grace: seconds("BANYAN_RECOVERY_GRACE_SECONDS", default: defaults.grace),
            interval: seconds("BANYAN_RECOVERY_INTERVAL_SECONDS", default: defaults.interval),
            callTimeout: requestTimeout())
    }

    /// `BANYAN_RECONCILE_INTERVAL_SECONDS`, `BANYAN_RECONCILE_GRACE_SECONDS`.
    static func reconciliation() -> Reconciliation.Options {
        let defaults = Reconciliation.Options()
        return Reconciliation.Options(
            interval: seconds("BANYAN_RECONCILE_INTERVAL_SECONDS", default: defaults.interval),
            grace: seconds("BANYAN_RECONCILE_GRACE_SECONDS", default: defaults.grace))
    }

    /// `BANYAN_LOGIN_*` and `BANYAN_TRUSTED_PROXIES`: the login walls.
    static func logins() -> LoginThrottle.Configuration {
        let defaults = LoginThrottle.Configuration()
        return LoginThrottle.Configuration(
            maxConcurrentChecks: Configuration.int("BANYAN_LOGIN_MAX_CONCURRENT", default: defaults.maxConcurrentChecks),
            maxWait: milliseconds("BANYAN_LOGIN_MAX_WAIT_MS", default: defaults.maxWait),
            maxFailures: Configuration.int("BANYAN_LOGIN_MAX_FAILURES", default: defaults.maxFailures),
            failureWindow: seconds("BANYAN_LOGIN_FAILURE_WINDOW_SECONDS", default: defaults.failureWindow),
            maxAttemptsPerAddress: Configuration.int("BANYAN_LOGIN_MAX_PER_ADDRESS", default: defaults.maxAttemptsPerAddress),
            addressWindow: seconds("BANYAN_LOGIN_ADDRESS_WINDOW_SECONDS", default: defaults.addressWindow),
            trackedKeys: Configuration.int("BANYAN_LOGIN_TRACKED_KEYS", default: defaults.trackedKeys),
            trustedProxies: Set(
                (Configuration.value("BANYAN_TRUSTED_PROXIES") ?? "").split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }))
    }

    /// A whole number of seconds.
    private static func seconds(_ name: String, default fallback: Double) -> Double {
        Double(Configuration.int(name, default: Int(fallback)))
    }

    /// Milliseconds, as seconds.
    private static func milliseconds(_ name: String, default fallback: Double) -> Double {
        Double(Configuration.int(name, default: Int((fallback * 1000).rounded()))) / 1000
    }
}
