/// A complete response: status, header fields in arrival order, whole body.
/// Any status is a response, 4xx and 5xx included; callers decide what
/// they mean.
public struct HTTPClientResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name`, compared case-insensitively (ASCII).
    public func header(_ name: String) -> String? {
        for field in headers where HTTPClientResponse.equalsIgnoringCase(field.name, name) {
            return field.value
        }
        return nil
    }

    static func equalsIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
        let a = lhs.utf8, b = rhs.utf8
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            let lower = x | 0x20
            guard lower == y | 0x20, lower >= 0x61, lower <= 0x7A else { return false }
        }
        return true
    }
}
