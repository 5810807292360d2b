/// A strict parser for the one-level JSON objects of JWT headers and claims.
///
/// `verify` runs on every request, and Foundation's JSON decoders cost more
/// than the whole rest of a token check, so this reads exactly what tokens
/// need and rejects everything else: one object whose values are strings
/// (with every RFC 8259 escape), integers, `true`, `false` or `null`.
/// Nested objects, arrays, fractions, exponents, duplicate keys, invalid
/// UTF-8, lone surrogates, raw control characters and trailing bytes all
/// make the parse fail. This is input validation, not cryptography.
struct FlatJSONObject {
    enum Value: Equatable {
        case string(String)
        case integer(Int)
        case bool(Bool)
        case null
    }

    /// A claims set never needs more; the cap keeps duplicate-key checks cheap.
    static let maxFields = 64

    private(set) var fields: [(key: String, value: Value)] = []

    subscript(key: String) -> Value? {
        for field in fields where field.key == key { return field.value }
        return nil
    }

    init?(parsing bytes: UnsafeBufferPointer<UInt8>) {
        var parser = Parser(bytes: bytes)
        guard let fields = parser.parseObject() else { return nil }
        self.fields = fields
    }

    init?(parsing bytes: [UInt8]) {
        guard let parsed = bytes.withUnsafeBufferPointer({ FlatJSONObject(parsing: $0) }) else { return nil }
        self = parsed
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func parseObject() -> [(key: String, value: Value)]? {
            skipWhitespace()
            guard consume(0x7B) else { return nil }  // {
            var fields: [(key: String, value: Value)] = []
            fields.reserveCapacity(10)
            skipWhitespace()
            if consume(0x7D) {  // }
                return finish(fields)
            }
            while true {
                skipWhitespace()
                guard let key = parseString() else { return nil }
                skipWhitespace()
                guard consume(0x3A) else { return nil }  // :
                skipWhitespace()
                guard let value = parseValue() else { return nil }
                if fields.count == FlatJSONObject.maxFields { return nil }
                for field in fields where field.key == key { return nil }
                fields.append((key, value))
                skipWhitespace()
                if consume(0x2C) { continue }  // ,
                guard consume(0x7D) else { return nil }
                return finish(fields)
            }
        }

        private mutating func finish(_ fields: [(key: String, value: Value)]) -> [(key: String, value: Value)]? {
            skipWhitespace()
            return index == bytes.count ? fields : nil
        }

        private mutating func parseValue() -> Value? {
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case 0x22: return parseString().map(Value.string)
            case 0x2D, 0x30...0x39: return parseInteger().map(Value.integer)
            case 0x74: return literal("true") ? .bool(true) : nil
            case 0x66: return literal("false") ? .bool(false) : nil
            case 0x6E: return literal("null") ? .null : nil
            default: return nil
            }
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += count
            return true
        }

        /// `-?(0|[1-9][0-9]*)` fitting in `Int`; a following `.` or `e` then
        /// fails the caller, which expects `,` or `}`.
        private mutating func parseInteger() -> Int? {
            let negative = consume(0x2D)
            guard index < bytes.count, (0x30...0x39).contains(bytes[index]) else { return nil }
            if bytes[index] == 0x30 {
                index += 1
                if index < bytes.count, (0x30...0x39).contains(bytes[index]) { return nil }
                return 0
            }
            var value = 0
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                let digit = Int(bytes[index] - 0x30)
                let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
                // Accumulate negatively so Int.min parses too.
                let (next, overflow2) = shifted.subtractingReportingOverflow(digit)
                if overflow1 || overflow2 { return nil }
                value = next
                index += 1
            }
            if negative { return value }
            let (positive, overflow) = (0).subtractingReportingOverflow(value)
            return overflow ? nil : positive
        }

        private mutating func parseString() -> String? {
            guard consume(0x22) else { return nil }
            let start = index
            // Fast path: no escapes, the common case for claims.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x22 {
                    let text = Parser.utf8String(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                    index += 1
                    return text
                }
                if byte == 0x5C { break }
                if byte < 0x20 { return nil }
                index += 1
            }
            guard index < bytes.count else { return nil }
            var decoded = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case 0x22:
                    return decoded.withUnsafeBufferPointer(Parser.utf8String)
                case 0x5C:
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case 0x22, 0x5C, 0x2F: decoded.append(escape)
                    case 0x62: decoded.append(0x08)
                    case 0x66: decoded.append(0x0C)
                    case 0x6E: decoded.append(0x0A)
                    case 0x72: decoded.append(0x0D)
                    case 0x74: decoded.append(0x09)
                    case 0x75:
                        guard let scalar = parseUnicodeEscape() else { return nil }
                        decoded.append(contentsOf: String(Character(scalar)).utf8)
                    default: return nil
                    }
                default:
                    if byte < 0x20 { return nil }
                    decoded.append(byte)
                }
            }
            return nil
        }

        /// The text of `bytes`, or nil if they are not valid UTF-8.
        ///
        /// `String(validating:as:)` is generic and unspecialized here, and
        /// cost most of a token check; decoding repairs invalid input, so
        /// the input was valid exactly when the repaired text equals it.
        static func utf8String(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
            let text = String(decoding: bytes, as: UTF8.self)
            if bytes.allSatisfy({ $0 < 0x80 }) { return text }
            return text.utf8.elementsEqual(bytes) ? text : nil
        }

        /// After `\u`: four hex digits, or a surrogate pair as two escapes.
        private mutating func parseUnicodeEscape() -> Unicode.Scalar? {
            guard let unit = parseHex4() else { return nil }
            switch unit {
            case 0xD800...0xDBFF:
                guard consume(0x5C), consume(0x75), let low = parseHex4(), (0xDC00...0xDFFF).contains(low)
                else { return nil }
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            case 0xDC00...0xDFFF:
                return nil
            default:
                return Unicode.Scalar(unit)
            }
        }

        private mutating func parseHex4() -> UInt32? {
            guard bytes.count - index >= 4 else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                default: return nil
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        private mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        private mutating func consume(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
    }
}
