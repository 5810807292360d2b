/// The built-in processor for development, tests and demos: deterministic,
/// instant, no I/O.
///
/// | token                    | answer                              |
/// |--------------------------|-------------------------------------|
/// | `tok_visa`, `tok_mastercard`, `tok_amex` | approved, reference `sim_<hash of key>` |
/// | `tok_declined`           | declined `card_declined`            |
/// | `tok_insufficient_funds` | declined `insufficient_funds`       |
/// | anything else            | declined `card_declined`            |
///
/// The reference depends on the idempotency key only, so a retry with the
/// same key gets the same reference, as from a real idempotent processor.
package struct SimulatedCardProcessor: CardProcessor {
    static let approvedTokens: Set<String> = ["tok_visa", "tok_mastercard", "tok_amex"]

    package init() {}

    package func authorize(amountCents: Int64, currency: String, token: String, idempotencyKey: String)
        -> CardAuthorization
    {
        if SimulatedCardProcessor.approvedTokens.contains(token) {
            return .approved(reference: SimulatedCardProcessor.reference(for: idempotencyKey))
        }
        return .declined(reason: token == "tok_insufficient_funds" ? "insufficient_funds" : "card_declined")
    }

    package func refund(reference: String, amountCents: Int64, currency: String, idempotencyKey: String) {}

    /// `sim_` and 16 hex digits of the key's 64-bit FNV-1a hash: an
    /// identifier, not a secret, so a non-cryptographic hash is enough.
    static func reference(for idempotencyKey: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in idempotencyKey.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "sim_" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
