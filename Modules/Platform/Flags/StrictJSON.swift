/// A small, strict JSON reader for flags.json.
///
/// Foundation's `JSONSerialization` keeps the last of two duplicate keys
/// silently and blurs booleans with numbers; a routing file must not do
/// either (a tenant listed twice with two routes is a mistake to report, not
/// a coin to toss). This keeps objects as ordered key/value lists so the
/// validator can report duplicates and the first error in document order,
/// and reports syntax errors with line and column. RFC 8259, nothing more:
/// no comments, no trailing commas. A UTF-8 byte order mark is skipped.
enum StrictJSON {
    indirect enum Node {
        case null
        case bool(Bool)
        /// The number's value never matters in flags.json, only that one was found.
        case number
        case string(String)
        case array([Node])
        case object([(key: String, value: Node)])

        /// For messages: "must be a string, not an object".
        var kind: String {
            switch self {
            case .null: "null"
            case .bool: "a boolean"
            case .number: "a number"
            case .string: "a string"
            case .array: "an array"
            case .object: "an object"
            }
        }
    }

    struct SyntaxError: Error, CustomStringConvertible {
        let line: Int
        let column: Int
        let message: String

        var description: String { "line \(line), column \(column): \(message)" }
    }

    /// Deep enough for any flags.json, shallow enough that hostile input cannot exhaust the stack.
    static let maximumDepth = 32

    static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> Node {
        var reader = Reader(bytes: bytes)
        return try reader.document()
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0
        var depth = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        mutating func document() throws(SyntaxError) -> Node {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
            skipWhitespace()
            guard index < bytes.count else { throw failure("the file is empty") }
            let node = try value()
            skipWhitespace()
            guard index == bytes.count else { throw failure("unexpected text after the end of the JSON value") }
            return node
        }

        private mutating func value() throws(SyntaxError) -> Node {
            guard index < bytes.count else { throw failure("unexpected end of file, expected a value") }
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
                try number()
                return .number
            default:
                throw failure("unexpected \(describe(bytes[index])), expected a value")
            }
        }

        private mutating func object() throws(SyntaxError) -> Node {
            try enter()
            defer { depth -= 1 }
            index += 1
            var members: [(key: String, value: Node)] = []
            skipWhitespace()
            if peek(UInt8(ascii: "}")) {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard peek(UInt8(ascii: "\"")) else { throw failure("expected a quoted key") }
                let key = try string()
                skipWhitespace()
                guard peek(UInt8(ascii: ":")) else { throw failure("expected ':' after the key \"\(key)\"") }
                index += 1
                skipWhitespace()
                members.append((key, try value()))
                skipWhitespace()
                if peek(UInt8(ascii: ",")) {
                    index += 1
                } else if peek(UInt8(ascii: "}")) {
                    index += 1
                    return .object(members)
                } else {
                    throw failure("expected ',' or '}' in an object")
                }
            }
        }

        private mutating func array() throws(SyntaxError) -> Node {
            try enter()
            defer { depth -= 1 }
            index += 1
            var elements: [Node] = []
            skipWhitespace()
            if peek(UInt8(ascii: "]")) {
                index += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try value())
                skipWhitespace()
                if peek(UInt8(ascii: ",")) {
                    index += 1
                } else if peek(UInt8(ascii: "]")) {
                    index += 1
                    return .array(elements)
                } else {
                    throw failure("expected ',' or ']' in an array")
                }
            }
        }

        private mutating func string() throws(SyntaxError) -> String {
            let start = index
            index += 1
            var utf8: [UInt8] = []
            while true {
                guard index < bytes.count else {
                    index = start
                    throw failure("a string is not closed")
                }
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    guard let text = String(validating: utf8, as: UTF8.self) else {
                        index = start
                        throw failure("a string is not valid UTF-8")
                    }
                    return text
                case UInt8(ascii: "\\"):
                    index += 1
                    try escape(into: &utf8)
                case 0..<0x20:
                    throw failure("a control character must be escaped inside a string")
                default:
                    utf8.append(byte)
                    index += 1
                }
            }
        }

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
            case UInt8(ascii: "u"):
                var value = try hex4()
                if (0xD800...0xDBFF).contains(value) {
                    guard bytes[index...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) else {
                        throw failure("a \\u escape starts a surrogate pair that does not continue")
                    }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw failure("a \\u surrogate pair is invalid") }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(value) else { throw failure("a \\u escape is a lone surrogate") }
                utf8.append(contentsOf: String(Character(scalar)).utf8)
            default:
                index -= 1
                throw failure("unknown escape \\\(describe(byte))")
            }
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

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        private mutating func number() throws(SyntaxError) {
            if peek(UInt8(ascii: "-")) { index += 1 }
            if peek(UInt8(ascii: "0")) {
                index += 1
            } else if try digits() == 0 {
                throw failure("a number needs digits")
            }
            if peek(UInt8(ascii: ".")) {
                index += 1
                guard try digits() > 0 else { throw failure("a number needs digits after '.'") }
            }
            if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
                index += 1
                if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
                guard try digits() > 0 else { throw failure("a number needs digits in its exponent") }
            }
        }

        private mutating func digits() throws(SyntaxError) -> Int {
            var count = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                index += 1
                count += 1
            }
            return count
        }

        private mutating func literal(_ word: String) throws(SyntaxError) {
            let expected = Array(word.utf8)
            guard bytes[index...].starts(with: expected) else {
                throw failure("unexpected \(describe(bytes[index])), expected a value")
            }
            index += expected.count
        }

        private mutating func enter() throws(SyntaxError) {
            depth += 1
            guard depth <= StrictJSON.maximumDepth else {
                throw failure("nested deeper than \(StrictJSON.maximumDepth) levels")
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

        private func describe(_ byte: UInt8) -> String {
            (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
        }

        /// Line and column (1-based, in bytes) of `index`, computed only when failing.
        private func failure(_ message: String) -> SyntaxError {
            var line = 1
            var lineStart = 0
            for position in 0..<min(index, bytes.count) where bytes[position] == 0x0A {
                line += 1
                lineStart = position + 1
            }
            return SyntaxError(line: line, column: index - lineStart + 1, message: message)
        }
    }
}
