import Synchronization

/// Request ids, one rule for the gateway and every service: the caller's
/// `x-request-id` when it is sane, so one request can be followed by its id
/// through the gateway's log and the logs of the services it called;
/// otherwise one of ours — a random per-process prefix and a counter,
/// unique without a syscall per request.
public enum RequestID {
    public static let header = "x-request-id"

    private static let prefix: String = {
        // 48 random bits: two processes minting the same ids is not a worry.
        let bits = UInt64.random(in: 0..<(1 << 48))
        let hex = String(bits, radix: 16)
        return String(repeating: "0", count: 12 - hex.count) + hex
    }()
    private static let counter = Atomic<UInt64>(0)

    /// `supplied` when acceptable, else a fresh id.
    public static func resolve(_ supplied: String?) -> String {
        if let supplied, isAcceptable(supplied) { return supplied }
        let next = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return prefix + "-" + String(next, radix: 16)
    }

    /// 1 to 128 of `[A-Za-z0-9._:-]`: bounded, and free of anything that
    /// could forge log fields or headers.
    public static func isAcceptable(_ value: String) -> Bool {
        let bytes = value.utf8
        guard (1...128).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x3A
        }
    }
}
