import Platform
import Testing

/// Platform's strict JSON reader, which both flags.json (here) and every
/// token's claims (`JWTSignerTests`) go through.
@Suite struct StrictJSONTests {
    static let deep = StrictJSON.Limits(maximumDepth: 32)

    func parse(_ text: String, limits: StrictJSON.Limits = deep) throws(StrictJSON.SyntaxError) -> StrictJSON.Node {
        try StrictJSON.parse(Array(text.utf8), limits: limits)
    }

    func error(_ text: String, limits: StrictJSON.Limits = deep) -> StrictJSON.SyntaxError? {
        do {
            let node = try parse(text, limits: limits)
            Issue.record("accepted \(text) as \(node.kind)")
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        (#"{"a":1,"a":2}"#, ["a"]),
        (#"{"a":{"b":true,"c":{},"b":false}}"#, ["a", "b"]),
        (#"{"list":[{"k":1},{"k":1,"k":1}]}"#, ["list", "1", "k"]),
        ("{" + (0..<40).map { #""k\#($0)":\#($0)"# }.joined(separator: ",") + #","k39":0}"#, ["k39"]),
        (#"{"caf\u00e9":1,"café":2}"#, ["café"]),
    ])
    func aRepeatedKeyIsRefusedWithItsPath(text: String, path: [String]) {
        let refused = error(text)
        #expect(refused?.duplicateKey == path)
        #expect(refused?.message.contains("appears more than once") == true)
    }

    @Test func manyDistinctKeysAreFine() throws {
        let text = "{" + (0..<500).map { #""k\#($0)":[\#($0)]"# }.joined(separator: ",") + "}"
        guard case .object(let members) = try parse(text) else {
            Issue.record("not an object")
            return
        }
        #expect(members.count == 500)
        #expect(members.last?.key == "k499")
    }

    @Test func depthAndMembersAreBounded() throws {
        let flat = StrictJSON.Limits(maximumDepth: 1, maximumMembers: 3)
        #expect(throws: Never.self) { try parse(#"{"a":1,"b":"x","c":null}"#, limits: flat) }
        #expect(error(#"{"a":{}}"#, limits: flat)?.message.contains("nested deeper than 1 level") == true)
        #expect(error(#"{"a":[1]}"#, limits: flat) != nil)
        #expect(error(#"{"a":1,"b":2,"c":3,"d":4}"#, limits: flat)?.message.contains("more than 3 members") == true)
        let nested = { (levels: Int) in String(repeating: "[", count: levels) + String(repeating: "]", count: levels) }
        #expect(throws: Never.self) { try parse(nested(32)) }
        #expect(error(nested(33))?.message.contains("nested deeper than 32 levels") == true)
        // Hostile depth is refused, not a stack overflow.
        #expect(error(nested(100_000)) != nil)
    }

    @Test(arguments: [
        ("0", 0), ("-0", 0), ("42", 42), ("-17", -17), ("9223372036854775807", Int.max),
        ("-9223372036854775808", Int.min),
    ])
    func integersAreKeptAsIntegers(text: String, value: Int) throws {
        guard case .integer(let parsed) = try parse(text) else {
            Issue.record("\(text) is not an integer")
            return
        }
        #expect(parsed == value)
    }

    @Test(arguments: ["1.5", "-0.0", "1e3", "2E-2", "9223372036854775808", "-9223372036854775809"])
    func otherNumbersAreNumbers(text: String) throws {
        guard case .number = try parse(text) else {
            Issue.record("\(text) is not a number")
            return
        }
    }

    @Test(arguments: ["01", "+1", "-", "1.", ".5", "1e", "1e+", "0x10", "NaN", "Infinity"])
    func malformedNumbersAreRefused(text: String) {
        #expect(error(text) != nil)
    }

    @Test func escapesAndSurrogatePairsDecode() throws {
        let text = #""\u0041\u00e9\ud83c\udf5c\/\b\f\n\r\t\"\\ raw 🍜""#
        guard case .string(let value) = try parse(text) else {
            Issue.record("not a string")
            return
        }
        #expect(value == "Aé🍜/\u{8}\u{C}\n\r\t\"\\ raw 🍜")
    }

    @Test(arguments: [
        (#""\ud800""#, "does not continue"), (#""\ud800\u0041""#, "surrogate pair is invalid"),
        (#""\udc00\ud800""#, "lone surrogate"), (#""\u12""#, "four hex digits"), (#""\x""#, "unknown escape"),
        ("\"raw\ncontrol\"", "control character"), (#""open"#, "not closed"),
    ])
    func badStringsAreRefused(text: String, message: String) {
        let refused = error(text)
        #expect(refused?.message.contains(message) == true, "\(refused?.message ?? "accepted")")
    }

    @Test func invalidUTF8IsRefused() {
        for bytes: [UInt8] in [[0x22, 0xC3, 0x28, 0x22], [0x22, 0xFF, 0x22], [0x22, 0x5C, 0x6E, 0xC3, 0x22]] {
            #expect(throws: StrictJSON.SyntaxError.self) { try StrictJSON.parse(bytes, limits: StrictJSONTests.deep) }
        }
    }

    @Test(arguments: [
        ("", "empty"), ("{} {}", "after the end"), (#"{"a":1,}"#, "quoted key"), ("[1,]", "expected a value"),
        ("// note\n{}", "expected a value"), ("\u{FEFF}{}", "expected a value"), ("tru", "expected a value"),
        (#"{"a" 1}"#, "expected ':'"),
    ])
    func onlyRFC8259IsAccepted(text: String, message: String) {
        let refused = error(text)
        #expect(refused?.message.contains(message) == true, "\(refused?.message ?? "accepted")")
    }

    @Test func anErrorNamesItsLineAndColumn() {
        let refused = error("{\n  \"a\": 1,\n  \"b\" 2\n}")
        #expect(refused?.line == 3)
        #expect(refused?.column == 7)
        #expect(refused?.description.hasPrefix("line 3, column 7: ") == true)
    }

    @Test func membersKeepDocumentOrder() throws {
        let node = try parse(#"{"z":1,"a":{"y":2,"b":3}}"#)
        guard case .object(let members) = node, case .object(let inner)? = node["a"] else {
            Issue.record("not nested objects")
            return
        }
        #expect(members.map(\.key) == ["z", "a"])
        #expect(inner.map(\.key) == ["y", "b"])
        #expect(node["missing"] == nil)
    }
}
