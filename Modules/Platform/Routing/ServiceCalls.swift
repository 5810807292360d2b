/// How a process's calls to another process's modules behave: the gateway's
/// calls to the services, and a service's calls to the monolith's internal
/// listener and to other services alike.
public struct ServiceCalls: Sendable {
    /// Signs the short-lived tokens a receiving process requires; both share it.
    public var secret: [UInt8]
    public var connectTimeout: Double
    public var totalTimeout: Double
    /// Calls in flight to one module's remote homes at once: the bulkhead
    /// that keeps a slow process from taking every worker. Beyond it, 503
    /// `module_busy` at once.
    public var maxInFlight: Int

    /// - Parameters: connectTimeout, totalTimeout: seconds.
    public init(secret: [UInt8], connectTimeout: Double = 1, totalTimeout: Double = 5, maxInFlight: Int = 8) {
        self.secret = secret
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxInFlight = max(maxInFlight, 1)
    }
}
