import Foundation
import PaymentsAPI

/// The adapter between Banyan and whoever moves card money: the built-in
/// `SimulatedCardProcessor`, or a real gateway through `HTTPCardProcessor`.
/// The composition root picks one (`CardProcessors.fromEnvironment()`).
///
/// Calls block their thread (they may be network calls): run them on worker
/// threads, never on Swift's cooperative pool.
package protocol CardProcessor: Sendable {
    /// Charges the card. Must be idempotent by `idempotencyKey` (a retry after a crash must not charge twice).
    ///
    /// Returns `.approved(reference)` or `.declined(reason)` where reason is
    /// e.g. `card_declined`, `insufficient_funds`; throws
    /// `PaymentsError.processorUnavailable` when it cannot tell.
    func authorize(amountCents: Int64, currency: String, token: String, idempotencyKey: String) throws
        -> CardAuthorization

    /// As `authorize(amountCents:currency:token:idempotencyKey:)`, never
    /// waiting past `deadline` (the caller's: nobody reads a later answer).
    /// Giving up at the deadline is an unknown outcome:
    /// `processorUnavailable`. Processors that answer at once need not
    /// implement it.
    func authorize(amountCents: Int64, currency: String, token: String, idempotencyKey: String, deadline: Date?) throws
        -> CardAuthorization

    /// Gives `amountCents` of the charge `reference` back. Idempotent by
    /// `idempotencyKey`; throws `PaymentsError.processorUnavailable` when it
    /// cannot tell whether the refund happened.
    func refund(reference: String, amountCents: Int64, currency: String, idempotencyKey: String) throws
}

extension CardProcessor {
    package func authorize(
        amountCents: Int64, currency: String, token: String, idempotencyKey: String, deadline: Date?
    ) throws -> CardAuthorization {
        try authorize(amountCents: amountCents, currency: currency, token: token, idempotencyKey: idempotencyKey)
    }
}
