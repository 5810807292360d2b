/// A complete, parsed HTTP/1.1 request as handlers see it.
public struct HTTPRequest: Sendable {
    /// Upper-case method token, e.g. `GET`.
    public var method: String
    /// The request-target exactly as sent (origin-form), e.g. `/a/b?x=1`.
    public var target: String
    /// Percent-decoded path without the query, e.g. `/a/b`.
    public var path: String
    /// The raw query string after `?`, without it; empty when absent.
    public var query: String
    public var headers: HTTPHeaders
    /// The whole body, de-chunked. Never larger than the configured limit.
    public var body: [UInt8]
    /// Peer address, `ip:port`.
    public var remoteAddress: String

    public init(
        method: String, target: String, path: String, query: String = "",
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], remoteAddress: String = ""
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// Query parameters, percent-decoded (`+` as space). Later keys win.
    public var queryParameters: [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = PercentDecoding.decode(String(parts[0]), plusAsSpace: true) ?? String(parts[0])
            let value = parts.count > 1
                ? (PercentDecoding.decode(String(parts[1]), plusAsSpace: true) ?? String(parts[1])) : ""
            result[key] = value
        }
        return result
    }
}

public enum PercentDecoding {
    /// Decodes `%XX` escapes; nil if an escape is malformed or the result is not UTF-8.
    public static func decode(_ text: String, plusAsSpace: Bool = false) -> String? {
        if !text.utf8.contains(where: { $0 == 0x25 || (plusAsSpace && $0 == 0x2B) }) { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == 0x25 {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue)
                else { return nil }
                bytes.append(high << 4 | low)
            } else if plusAsSpace && byte == 0x2B {
                bytes.append(0x20)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
