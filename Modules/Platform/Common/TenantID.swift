/// A restaurant's identifier: the key every row, query and token is scoped by.
///
/// Lower-case letters, digits and inner hyphens, 2 to 63 characters, so it is
/// safe in headers, logs, URLs and PostgreSQL settings without escaping.
public struct TenantID: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public init?(_ value: String) {
        let bytes = Array(value.utf8)
        guard (2...63).contains(bytes.count), bytes.first != 0x2D, bytes.last != 0x2D else { return nil }
        for byte in bytes {
            let isLower = byte >= 0x61 && byte <= 0x7A
            let isDigit = byte >= 0x30 && byte <= 0x39
            guard isLower || isDigit || byte == 0x2D else { return nil }
        }
        self.value = value
    }

    public var description: String { value }
}
