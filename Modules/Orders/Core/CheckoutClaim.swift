import Foundation

/// A process's lease on a pending checkout: only the claimant works on it
/// until `seconds` have passed, so recovery in many processes never runs one
/// checkout twice at once, and a claimant that crashed releases it by simply
/// not renewing.
struct CheckoutClaim: Sendable {
    /// Who holds it: `request:<request id>` for the checkout being placed,
    /// `recovery:<process>` for a recovering process.
    var claimant: String
    /// How long the lease lasts from when it is taken or renewed.
    var seconds: Double

    /// The placing request's claim: it lasts past the request's deadline, so
    /// recovery never starts on a checkout its request is still working on.
    static func placing(requestID: String, deadline: Date?, minimum: Double) -> CheckoutClaim {
        let untilDeadline = deadline.map { $0.timeIntervalSinceNow + CheckoutClaim.deadlineMargin } ?? 0
        return CheckoutClaim(claimant: "request:\(requestID):\(UUID().uuidString.prefix(8))", seconds: max(minimum, untilDeadline))
    }

    /// Slack after a request's deadline before its checkout may be claimed:
    /// covers the settle steps after the last remote call and clock reads.
    static let deadlineMargin: Double = 2
}
