import Security
import Synchronization

/// Request ids: the client's `x-request-id` when it is sane, otherwise one
/// of ours — a random per-process prefix and a counter, unique without a
/// syscall per request.
enum RequestID {
    private static let prefix = Hex.encode(SecureRandom.bytes(6))
    private static let counter = Atomic<UInt64>(0)

    static func resolve(_ supplied: String?) -> String {
        if let supplied, isAcceptable(supplied) { return supplied }
        let next = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return prefix + "-" + String(next, radix: 16)
    }

    /// Printable, bounded, and free of anything that could forge log fields.
    static func isAcceptable(_ value: String) -> Bool {
        let bytes = value.utf8
        guard (1...128).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x3A
        }
    }
}
