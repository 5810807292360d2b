/// How long checkout claims last.
package struct CheckoutOptions: Sendable {
    /// Seconds a claim on a pending checkout lasts at least (the placing
    /// request's lasts until its deadline plus a margin, if that is longer).
    /// After it, another process may take the checkout over.
    package var lease: Double
    /// Seconds before a checkout held on an unknown outcome is asked about again.
    package var retryAfter: Double

    package init(lease: Double = 30, retryAfter: Double = 5) {
        self.lease = lease
        self.retryAfter = retryAfter
    }

    /// The claims of a process whose recovery takes a checkout over after
    /// `grace` seconds and passes every `interval`: a claim outlives a pass,
    /// and a held checkout is asked about again once a pass may have run.
    /// Every process hosting Orders (the gateway, orders-service) derives its
    /// claims from the same two settings this way.
    package init(recoveryGrace grace: Double, recoveryInterval interval: Double) {
        self.init(lease: grace, retryAfter: min(max(interval, 1), grace))
    }
}
