/// What a card processor answered to a charge.
package enum CardAuthorization: Sendable, Equatable {
    /// Money was taken; `reference` identifies the charge at the processor (needed to refund it).
    case approved(reference: String)
    /// The processor refused; `reason` is its code, e.g. `card_declined`, `insufficient_funds`.
    case declined(reason: String)
}
