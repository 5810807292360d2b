/// A small, strict JSON reader for the input Banyan must not misread: the
/// header and claims of every token (`JWTSigner`) and the routing file
/// (`FlagsParser`).
///
/// RFC 8259 and nothing more: no comments, no trailing commas, no byte order
/// mark, nothing after the value. Foundation's readers keep the last of two
/// duplicate keys silently and blur booleans with numbers; a token with two
/// `tenant` claims or a tenant routed twice is refused here instead. Invalid
/// UTF-8, lone surrogates and raw control characters in strings are refused
/// too. Objects keep their members in document order, so a reader can
/// report the first problem in the text; an error names its line and column.
///
/// It also runs on every request (token checks), where Foundation's
/// decoders would cost more than the rest of the check: strings without
/// escapes are read in one pass, and positions are computed only on failure.
///
///     let root = try StrictJSON.parse(bytes, limits: StrictJSON.Limits(maximumDepth: 1, maximumMembers: 64))
///     guard case .object(let members) = root else { … }
package enum StrictJSON {
    package enum Node: Sendable {
        case null
        case bool(Bool)
        /// A number written as an integer (`-?(0|[1-9][0-9]*)`) that fits `Int`.
        case integer(Int)
        /// Any other number; its value is kept by no reader, so it is not computed.
        case number
        case string(String)
        case array([Node])
        case object([(key: String, value: Node)])

        /// For messages: "must be a string, not an object".
        package var kind: String {
            switch self {
            case .null: "null"
            case .bool: "a boolean"
            case .integer, .number: "a number"
            case .string: "a string"
            case .array: "an array"
            case .object: "an object"
            }
        }

        /// The value of member `key` of an object; nil when absent or not an object.
        package subscript(key: String) -> Node? {
            guard case .object(let members) = self else { return nil }
            for member in members where member.key == key { return member.value }
            return nil
        }
    }

    /// Bounds hostile input cannot exceed, whatever else it gets right.
    package struct Limits: Sendable {
        /// Containers inside containers: 1 allows only a flat object or array.
        /// Keeps the reader's recursion off the end of the stack.
        package var maximumDepth: Int
        /// Members of any one object.
        package var maximumMembers: Int

        package init(maximumDepth: Int, maximumMembers: Int = .max) {
            self.maximumDepth = maximumDepth
            self.maximumMembers = maximumMembers
        }
    }

    package struct SyntaxError: Error, CustomStringConvertible {
        /// 1-based, in bytes.
        package let line: Int
        package let column: Int
        package let message: String
        /// For a key that appears twice in one object: the keys leading to
        /// it from the root, itself last (array elements as their index), so
        /// a reader can name the field in its own words. Nil for other errors.
        package let duplicateKey: [String]?

        package var description: String { "line \(line), column \(column): \(message)" }
    }

    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>, limits: Limits) throws(SyntaxError) -> Node {
        var reader = Reader(bytes: bytes, limits: limits)
        return try reader.document()
    }

    package static func parse(_ bytes: [UInt8], limits: Limits) throws(SyntaxError) -> Node {
        try bytes.withUnsafeBufferPointer { buffer throws(SyntaxError) in try parse(buffer, limits: limits) }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let limits: Limits
        var index = 0
        var depth = 0
        /// The keys (or array indices) of the containers being read, for a duplicate key's path.
        var path: [String] = []

        init(bytes: UnsafeBufferPointer<UInt8>, limits: Limits) {
            self.bytes = bytes
            self.limits = limits
        }

        mutating func document() throws(SyntaxError) -> Node {
            skipWhitespace()
            guard index < bytes.count else { throw failure("the text is empty") }
            let node = try value()
            skipWhitespace()
            guard index == bytes.count else { throw failure("unexpected text after the end of the JSON value") }
            return node
        }

        private mutating func value() throws(SyntaxError) -> Node {
            guard index < bytes.count else { throw failure("unexpected end of the text, expected a value") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return try number()
            default:
                throw failure("unexpected \(describe(bytes[index])), expected a value")
            }
        }

        /// A member's or element's value, with its name on `path` while a container is read.
        private mutating func value(at name: @autoclosure () -> String) throws(SyntaxError) -> Node {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[") else {
                return try value()
            }
            path.append(name())
            defer { path.removeLast() }
            return try value()
        }

        private mutating func object() throws(SyntaxError) -> Node {
            try enter()
            defer { depth -= 1 }
            index += 1
            var members: [(key: String, value: Node)] = []
            // Past a few members, duplicates are found by hashing instead of scanning.
            var keys: Set<String>?
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return .object(members) }
            while true {
                skipWhitespace()
                guard peek(UInt8(ascii: "\"")) else { throw failure("expected a quoted key") }
                let keyStart = index
                let key = try string()
                if members.count == limits.maximumMembers {
                    index = keyStart
                    throw failure("an object has more than \(limits.maximumMembers) members")
                }
                if keys == nil, members.count >= 16 { keys = Set(members.map(\.key)) }
                let repeated = if let keys { keys.contains(key) } else { members.contains { $0.key == key } }
                if repeated {
                    index = keyStart
                    throw failure("the key \(JSONText.quoted(key)) appears more than once", duplicateKey: path + [key])
                }
                keys?.insert(key)
                skipWhitespace()
                guard consume(UInt8(ascii: ":")) else { throw failure("expected ':' after the key \(JSONText.quoted(key))") }
                skipWhitespace()
                members.append((key, try value(at: key)))
                skipWhitespace()
                if consume(UInt8(ascii: ",")) { continue }
                if consume(UInt8(ascii: "}")) { return .object(members) }
                throw failure("expected ',' or '}' in an object")
            }
        }

        private mutating func array() throws(SyntaxError) -> Node {
            try enter()
            defer { depth -= 1 }
            index += 1
            var elements: [Node] = []
            skipWhitespace()
            if consume(UInt8(ascii: "]")) { return .array(elements) }
            while true {
                skipWhitespace()
                elements.append(try value(at: String(elements.count)))
                skipWhitespace()
                if consume(UInt8(ascii: ",")) { continue }
                if consume(UInt8(ascii: "]")) { return .array(elements) }
                throw failure("expected ',' or ']' in an array")
            }
        }

        private mutating func string() throws(SyntaxError) -> String {
            let start = index
            index += 1
            // Most strings (every claim Banyan signs) have no escapes: read them in one pass.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = try utf8(UnsafeBufferPointer(rebasing: bytes[(start + 1)..<index]), start: start)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw failure("a control character must be escaped inside a string") }
                index += 1
            }
            var decoded = Array(UnsafeBufferPointer(rebasing: bytes[(start + 1)..<index]))
            while true {
                guard index < bytes.count else {
                    index = start
                    throw failure("a string is not closed")
                }
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return try decoded.withUnsafeBufferPointer { buffer throws(SyntaxError) in
                        try utf8(buffer, start: start)
                    }
                case UInt8(ascii: "\\"):
                    index += 1
                    try escape(into: &decoded)
                case 0..<0x20:
                    throw failure("a control character must be escaped inside a string")
                default:
                    decoded.append(byte)
                    index += 1
                }
            }
        }

        /// The text of a string's bytes, refusing invalid UTF-8.
        ///
        /// `String(validating:as:)` is generic and unspecialized here, and
        /// cost most of a token check; decoding repairs invalid input, so
        /// the input was valid exactly when the repaired text equals it.
        private mutating func utf8(_ content: UnsafeBufferPointer<UInt8>, start: Int) throws(SyntaxError) -> String {
            let text = String(decoding: content, as: UTF8.self)
            if content.allSatisfy({ $0 < 0x80 }) || text.utf8.elementsEqual(content) { return text }
            index = start
            throw failure("a string is not valid UTF-8")
        }

        /// After a backslash: one escape, appended to `utf8` as UTF-8.
        private mutating func escape(into utf8: inout [UInt8]) throws(SyntaxError) {
            guard index < bytes.count else { throw failure("a string is not closed") }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"): utf8.append(contentsOf: try unicodeEscape().utf8)
            default:
                index -= 1
                throw failure("unknown escape \\\(describe(byte))")
            }
        }

        /// After `\u`: four hex digits, or a UTF-16 surrogate pair written as
        /// two escapes. A lone surrogate is not a character and is refused.
        private mutating func unicodeEscape() throws(SyntaxError) -> String {
            var value = try hex4()
            switch value {
            case 0xD800...0xDBFF:
                guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")) else {
                    throw failure("a \\u escape starts a surrogate pair that does not continue")
                }
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw failure("a \\u surrogate pair is invalid") }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            case 0xDC00...0xDFFF:
                throw failure("a \\u escape is a lone surrogate")
            default:
                break
            }
            return String(Character(Unicode.Scalar(value)!))
        }

        private mutating func hex4() throws(SyntaxError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard index < bytes.count, let digit = hexValue(bytes[index]) else {
                    throw failure("a \\u escape needs four hex digits")
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        private func hexValue(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
            default: nil
            }
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; an
        /// `integer` when it has neither fraction nor exponent and fits `Int`.
        private mutating func number() throws(SyntaxError) -> Node {
            let negative = consume(UInt8(ascii: "-"))
            // Accumulated negatively, so `Int.min` fits too.
            var value = 0
            var fits = true
            if consume(UInt8(ascii: "0")) {
                // A leading zero stands alone: "01" leaves "1" for the caller to refuse.
            } else {
                guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a number needs digits") }
                while index < bytes.count, isDigit(bytes[index]) {
                    let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
                    let (next, underflow) = shifted.subtractingReportingOverflow(Int(bytes[index] - UInt8(ascii: "0")))
                    if overflow || underflow { fits = false }
                    value = next
                    index += 1
                }
            }
            var integral = true
            if consume(UInt8(ascii: ".")) {
                guard skipDigits() > 0 else { throw failure("a number needs digits after '.'") }
                integral = false
            }
            if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
                if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
                guard skipDigits() > 0 else { throw failure("a number needs digits in its exponent") }
                integral = false
            }
            guard integral, fits else { return .number }
            if negative { return .integer(value) }
            let (positive, overflow) = (0).subtractingReportingOverflow(value)
            return overflow ? .number : .integer(positive)
        }

        private mutating func skipDigits() -> Int {
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            return index - start
        }

        private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        private mutating func literal(_ word: StaticString) throws(SyntaxError) {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count,
                (0..<count).allSatisfy({ bytes[index + $0] == word.utf8Start[$0] })
            else { throw failure("unexpected \(describe(bytes[index])), expected a value") }
            index += count
        }

        private mutating func enter() throws(SyntaxError) {
            depth += 1
            guard depth <= limits.maximumDepth else {
                throw failure("nested deeper than \(limits.maximumDepth) level\(limits.maximumDepth == 1 ? "" : "s")")
            }
        }

        private mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        private func peek(_ byte: UInt8) -> Bool {
            index < bytes.count && bytes[index] == byte
        }

        private mutating func consume(_ byte: UInt8) -> Bool {
            guard peek(byte) else { return false }
            index += 1
            return true
        }

        private func describe(_ byte: UInt8) -> String {
            (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        }

        /// Line and column of `index`, computed only when failing.
        private func failure(_ message: String, duplicateKey: [String]? = nil) -> SyntaxError {
            var line = 1
            var lineStart = 0
            for position in 0..<min(index, bytes.count) where bytes[position] == 0x0A {
                line += 1
                lineStart = position + 1
            }
            return SyntaxError(
                line: line, column: index - lineStart + 1, message: message, duplicateKey: duplicateKey)
        }
    }
}
