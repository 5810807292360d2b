import PaymentsAPI

/// The input rules Payments shares between its operations.
enum PaymentInput {
    static func checkIdempotencyKey(_ key: String) throws(PaymentsError) {
        guard isPrintable(key, maxLength: 200) else {
            throw .invalidInput(field: "idempotency_key", reason: "1 to 200 printable ASCII characters")
        }
    }

    /// 1…`maxLength` bytes of printable ASCII (space to `~`): safe in logs,
    /// headers and the processor's idempotency key without escaping.
    static func isPrintable(_ text: String, maxLength: Int) -> Bool {
        let bytes = text.utf8
        return (1...maxLength).contains(bytes.count) && bytes.allSatisfy { $0 >= 0x20 && $0 <= 0x7E }
    }
}
