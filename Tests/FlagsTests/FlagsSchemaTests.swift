import Foundation
import Testing

@testable import Flags

/// flags.schema.json is what operators' editors and CI validate against;
/// these tests keep it saying what `FlagsParser` enforces.
@Suite("flags.schema.json")
struct FlagsSchemaTests {
    let schema: [String: Any]
    let definitions: [String: Any]

    init() throws {
        let url = FlagsParserTests.repositoryRoot.appendingPathComponent("flags.schema.json")
        schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        definitions = try #require(schema["$defs"] as? [String: Any])
    }

    private func definition(_ name: String) throws -> [String: Any] {
        try #require(definitions[name] as? [String: Any], "no $defs.\(name)")
    }

    private func pattern(_ name: String) throws -> NSRegularExpression {
        let text = try #require(try definition(name)["pattern"] as? String)
        return try NSRegularExpression(pattern: text)
    }

    /// The whole string must match, so ICU's `$` (which also matches before
    /// a final newline, unlike ECMA-262's) cannot make the two disagree.
    private func matchesWhole(_ expression: NSRegularExpression, _ text: String) -> Bool {
        let range = NSRange(text.startIndex..., in: text)
        return expression.firstMatch(in: text, range: range)?.range == range
    }

    @Test("draft 2020-12, closed at the top level, with the parser's keys")
    func topLevel() throws {
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["additionalProperties"] as? Bool == false)
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(FlagsParser.topLevelKeys))
        for (key, value) in properties {
            #expect((value as? [String: Any])?["description"] is String, "\(key) has no description")
        }
    }

    @Test("a module entry has the parser's keys, required ones and route enum")
    func moduleRouting() throws {
        let routing = try definition("moduleRouting")
        #expect(routing["additionalProperties"] as? Bool == false)
        let properties = try #require(routing["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(FlagsParser.moduleKeys))
        #expect(routing["required"] as? [String] == FlagsParser.requiredModuleKeys)
        let routes = try #require(try definition("route")["enum"] as? [String])
        #expect(routes == ModuleRoute.allCases.map(\.rawValue))
    }

    @Test("module name pattern agrees with the parser")
    func moduleNames() throws {
        let expression = try pattern("moduleName")
        for name in ["payments", "a", "p2", "order_lines", "Payments", "2pay", "_x", "pay-ments", "pay.ments", "", "paé"] {
            #expect(matchesWhole(expression, name) == FlagsParser.isModuleName(name), "\(name)")
        }
    }

    @Test("tenant id pattern agrees with TenantID")
    func tenantIDs() throws {
        let expression = try pattern("tenantID")
        let long = String(repeating: "a", count: 63)
        for tenant in [
            "demo-cafe", "a1", "ab", "a", "-ab", "ab-", "a--b", "Demo", "demo_cafe", "demo cafe", long, long + "a", "",
        ] {
            let parserAccepts = (try? FlagsParser.parse(
                Array(#"{"modules": {"p": {"default": "in-process", "tenants": {"\#(tenant)": "in-process"}}}}"#.utf8),
                source: "x")) != nil
            #expect(matchesWhole(expression, tenant) == parserAccepts, "\(tenant)")
        }
    }

    @Test("service URL pattern agrees with the parser")
    func serviceURLs() throws {
        let expression = try pattern("serviceURL")
        let samples = [
            "http://127.0.0.1:4004", "https://payments.internal", "http://localhost", "http://[::1]:4004",
            "https://a-b.example.com:65535", "http://h:1", "http://H0ST.Example", "http://h:9999", "http://h:10000",
            "http://127.0.0.1:4004/", "http://h/path", "http://h?q", "http://h#f", "ftp://h", "HTTP://h", "http://",
            "http://:80", "http://h:", "http://h:0", "http://h:04004", "http://h:65536", "http://h:99999",
            "http://-h", "http://h-", "http://a..b", "http://h.", "http://u@h", "http://u:p@h", "http://[]", "http://[::1",
            "http://[::1]x", "http://[g::1]", "http://h h", "http://hé", " http://h", "http://h\n",
        ]
        for url in samples {
            #expect(matchesWhole(expression, url) == FlagsParser.isServiceURL(url), "\(url)")
        }
    }

    @Test("the schema's example is a valid flags.json")
    func exampleParses() throws {
        let examples = try #require(schema["examples"] as? [Any])
        for example in examples {
            let data = try JSONSerialization.data(withJSONObject: example)
            _ = try FlagsParser.parse([UInt8](data), source: "example")
        }
    }
}
