/// Byte classes and list parsing from RFC 9110/9112, shared by the request
/// parser and the response encoder. Everything works on bytes: the hot path
/// never builds a `String` just to look at it.
enum HTTPSyntax {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A

    /// `tchar`: the bytes a method or header name may contain.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true  // DIGIT, ALPHA
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }

    /// A byte allowed inside a field value: HTAB, SP, VCHAR, obs-text. Not NUL, CR, LF or DEL.
    @inline(__always)
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= 0x20 && byte != 0x7F)
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// True when `bytes` equals `lowercaseLiteral` ignoring ASCII case.
    static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercaseLiteral: StaticString) -> Bool {
        guard bytes.count == lowercaseLiteral.utf8CodeUnitCount else { return false }
        let literal = lowercaseLiteral.utf8Start
        for index in 0..<bytes.count where lowercased(bytes[index]) != literal[index] {
            return false
        }
        return true
    }

    /// The elements of a comma-separated list, each with optional whitespace
    /// trimmed, as ranges into `bytes`. Empty elements are kept so callers
    /// can reject them.
    static func listElements(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var elements: [Range<Int>] = []
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x2C {
            var lower = start, upper = index
            while lower < upper && isWhitespace(bytes[lower]) { lower += 1 }
            while upper > lower && isWhitespace(bytes[upper - 1]) { upper -= 1 }
            elements.append(lower..<upper)
            start = index + 1
        }
        return elements
    }

    /// True when the comma-separated `value` holds `lowercaseToken` (ASCII case-insensitive).
    static func listContainsToken(_ value: UnsafeBufferPointer<UInt8>, _ lowercaseToken: StaticString) -> Bool {
        for element in listElements(value)
        where equalsIgnoringCase(UnsafeBufferPointer(rebasing: value[element]), lowercaseToken) {
            return true
        }
        return false
    }

    /// `listContainsToken` for a `String` value, as handlers set headers.
    static func listContainsToken(_ value: String, _ lowercaseToken: StaticString) -> Bool {
        var value = value
        return value.withUTF8 { listContainsToken($0, lowercaseToken) }
    }
}
