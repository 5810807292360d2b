import Foundation
import Platform
import Testing

@testable import Flags

@Suite("FlagsParser")
struct FlagsParserTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private func parse(_ text: String, knownModules: Set<String>? = nil) throws(FlagsError) -> FlagsSnapshot {
        try FlagsParser.parse(Array(text.utf8), source: "/test/flags.json", knownModules: knownModules)
    }

    @Test("the flags.json shipped in the repository is valid")
    func shippedFileParses() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.repositoryRoot.appendingPathComponent("flags.json")))
        // The modules the registry lists as extractable (`Gateway.routedModules`), which this target cannot see.
        let snapshot = try FlagsParser.parse(
            bytes, source: "flags.json", knownModules: ["auth", "payments", "inventory", "restaurant", "orders", "chatbot"])
        #expect(
            snapshot.services == [
                "auth": "http://127.0.0.1:4001", "orders": "http://127.0.0.1:4002",
                "inventory": "http://127.0.0.1:4003", "payments": "http://127.0.0.1:4004",
                "restaurant": "http://127.0.0.1:4005", "chatbot": "http://127.0.0.1:4006",
            ])
        // The demo tenants scripts/up opens, one per stage of a move (the README walks through it):
        // demo-bistro all in the monolith, demo-cafe with Payments and Inventory moved, demo-diner all moved.
        let movedForCafe: Set = ["payments", "inventory"]
        for module in ["auth", "payments", "inventory", "restaurant", "orders", "chatbot"] {
            #expect(snapshot.modules[module]?.defaultRoute == .inProcess, "\(module)")
            #expect(snapshot.route(module: module, tenant: "demo-bistro") == .inProcess, "\(module)")
            #expect(
                snapshot.route(module: module, tenant: "demo-cafe") == (movedForCafe.contains(module) ? .service : .inProcess),
                "\(module)")
            #expect(snapshot.route(module: module, tenant: "demo-diner") == .service, "\(module)")
        }
    }

    @Test("a full file: services, defaults and tenant overrides")
    func parsesFullFile() throws {
        let snapshot = try parse(
            """
            {
              "services": { "payments": "http://127.0.0.1:4004", "inventory": "https://inventory.internal:8443" },
              "modules": {
                "payments": { "default": "in-process", "tenants": { "demo-cafe": "service", "demo-bistro": "in-process" } },
                "inventory": { "default": "service" }
              }
            }
            """)
        #expect(snapshot.services == ["payments": "http://127.0.0.1:4004", "inventory": "https://inventory.internal:8443"])
        #expect(
            snapshot.modules["payments"]
                == ModuleRouting(defaultRoute: .inProcess, tenants: ["demo-cafe": .service, "demo-bistro": .inProcess]))
        #expect(snapshot.modules["inventory"] == ModuleRouting(defaultRoute: .service, tenants: [:]))
        #expect(snapshot.source == "/test/flags.json")
        #expect(snapshot.version == 1)
        #expect(snapshot.serviceURL(module: "payments") == "http://127.0.0.1:4004")
        #expect(snapshot.serviceURL(module: "orders") == nil)
    }

    @Test(
        "minimal and unusual but valid files",
        arguments: [
            "{}",
            #"{"services": {}, "modules": {}}"#,
            "\u{FEFF}{}",
            #"{"modules": {"payments": {"default": "in-process", "tenants": {}}}}"#,
            #"{"services": {"payments": "http://[::1]:4004"}, "modules": {"payments": {"default": "service"}}}"#,
            #"{"services": {"payments": "http://localhost"}, "modules": {"payments": {"default": "in-process", "tenants": {"a1": "service"}}}}"#,
            #"{"services": {"p_2": "https://a-b.c.example:65535"}}"#,
            #"{"modules": {"payments": {"tenants": {"demo\u002dcafe": "in-process"}, "default": "in-process"}}}"#,
        ])
    func acceptsValid(_ text: String) throws {
        _ = try parse(text)
    }

    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let field: String
        var messageContains = ""
        var knownModules: Set<String>?

        var testDescription: String { name }
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(name: "root is an array", text: "[]", field: "(root)", messageContains: "must be an object"),
        InvalidCase(name: "not JSON", text: "{\n  \"modules\": {\n    \"payments\" {}\n  }\n}", field: "json",
            messageContains: "line 3"),
        InvalidCase(name: "empty file", text: "", field: "json", messageContains: "empty"),
        InvalidCase(name: "trailing comma", text: #"{"modules": {},}"#, field: "json"),
        InvalidCase(name: "text after the value", text: "{} {}", field: "json"),
        InvalidCase(name: "unknown top-level key", text: #"{"servcies": {}}"#, field: "servcies",
            messageContains: "services, modules"),
        InvalidCase(name: "modules is an array", text: #"{"modules": []}"#, field: "modules",
            messageContains: "not an array"),
        InvalidCase(name: "services is a string", text: #"{"services": "http://x"}"#, field: "services"),
        InvalidCase(name: "unknown default route", text: #"{"modules": {"payments": {"default": "remote"}}}"#,
            field: "modules.payments.default", messageContains: #"must be "in-process", "service" or "shadow""#),
        InvalidCase(name: "route is a boolean", text: #"{"modules": {"payments": {"default": true}}}"#,
            field: "modules.payments.default"),
        InvalidCase(name: "unknown tenant route",
            text: #"{"modules": {"payments": {"default": "in-process", "tenants": {"demo-cafe": "svc"}}}}"#,
            field: "modules.payments.tenants.demo-cafe", messageContains: #"must be "in-process", "service" or "shadow""#),
        InvalidCase(name: "tenant id with capitals",
            text: #"{"modules": {"payments": {"default": "in-process", "tenants": {"Demo-Cafe": "in-process"}}}}"#,
            field: "modules.payments.tenants.Demo-Cafe", messageContains: "tenant id"),
        InvalidCase(name: "tenant id too short",
            text: #"{"modules": {"payments": {"default": "in-process", "tenants": {"a": "in-process"}}}}"#,
            field: "modules.payments.tenants.a"),
        InvalidCase(name: "tenant id with a space",
            text: #"{"modules": {"payments": {"default": "in-process", "tenants": {"demo cafe": "in-process"}}}}"#,
            field: #"modules.payments.tenants["demo cafe"]"#),
        InvalidCase(name: "tenants is an array",
            text: #"{"modules": {"payments": {"default": "in-process", "tenants": ["demo-cafe"]}}}"#,
            field: "modules.payments.tenants"),
        InvalidCase(name: "duplicate tenant",
            text: #"{"modules": {"payments": {"default": "in-process", "tenants": {"demo-cafe": "in-process", "demo-cafe": "service"}}}}"#,
            field: "modules.payments.tenants.demo-cafe", messageContains: "more than once"),
        InvalidCase(name: "duplicate top-level key", text: #"{"modules": {}, "modules": {}}"#, field: "modules",
            messageContains: "more than once"),
        InvalidCase(name: "module name with capitals", text: #"{"modules": {"Payments": {"default": "in-process"}}}"#,
            field: "modules.Payments", messageContains: "[a-z][a-z0-9_]*"),
        InvalidCase(name: "module name with a dot", text: #"{"modules": {"pay.ments": {"default": "in-process"}}}"#,
            field: #"modules["pay.ments"]"#),
        InvalidCase(name: "service module name starting with a digit", text: #"{"services": {"2pay": "http://a"}}"#,
            field: "services.2pay"),
        InvalidCase(name: "missing default", text: #"{"modules": {"payments": {"tenants": {}}}}"#,
            field: "modules.payments.default", messageContains: "is required"),
        InvalidCase(name: "misspelt default", text: #"{"modules": {"payments": {"defualt": "service"}}}"#,
            field: "modules.payments.defualt", messageContains: "default, tenants"),
        InvalidCase(name: "service by default without a URL", text: #"{"modules": {"payments": {"default": "service"}}}"#,
            field: "services.payments", messageContains: "by default"),
        InvalidCase(name: "service for one tenant without a URL",
            text: #"{"services": {"inventory": "http://a:1"}, "modules": {"payments": {"default": "in-process", "tenants": {"demo-cafe": "service"}}}}"#,
            field: "services.payments", messageContains: "demo-cafe"),
        InvalidCase(name: "URL with a trailing slash", text: #"{"services": {"payments": "http://127.0.0.1:4004/"}}"#,
            field: "services.payments", messageContains: "http(s)://host[:port]"),
        InvalidCase(name: "URL with a path", text: #"{"services": {"payments": "http://127.0.0.1:4004/api"}}"#,
            field: "services.payments"),
        InvalidCase(name: "URL with a query", text: #"{"services": {"payments": "http://127.0.0.1:4004?x=1"}}"#,
            field: "services.payments"),
        InvalidCase(name: "URL with another scheme", text: #"{"services": {"payments": "ftp://127.0.0.1"}}"#,
            field: "services.payments"),
        InvalidCase(name: "URL with credentials", text: #"{"services": {"payments": "http://user:pw@host"}}"#,
            field: "services.payments"),
        InvalidCase(name: "URL port 0", text: #"{"services": {"payments": "http://host:0"}}"#, field: "services.payments"),
        InvalidCase(name: "URL port above 65535", text: #"{"services": {"payments": "http://host:65536"}}"#,
            field: "services.payments"),
        InvalidCase(name: "URL is a number", text: #"{"services": {"payments": 4004}}"#, field: "services.payments",
            messageContains: "not a number"),
        InvalidCase(name: "module Banyan does not have",
            text: #"{"modules": {"paymnts": {"default": "in-process"}}}"#, field: "modules.paymnts",
            messageContains: "not a Banyan module", knownModules: ["payments", "inventory"]),
        InvalidCase(name: "service for a module Banyan does not have", text: #"{"services": {"paymnts": "http://a"}}"#,
            field: "services.paymnts", knownModules: ["payments"]),
        InvalidCase(name: "nested too deep", text: String(repeating: "[", count: 40) + String(repeating: "]", count: 40),
            field: "json", messageContains: "deeper"),
        InvalidCase(name: "module name with a control character", text: "{\"modules\": {\"pay\u{7F}\": 1}}", field: #"modules["pay\#u{7F}"]"#),
    ]

    @Test("each invalid file is refused with the field named", arguments: invalidCases)
    func refusesInvalid(_ invalid: InvalidCase) {
        do {
            let snapshot = try parse(invalid.text, knownModules: invalid.knownModules)
            Issue.record("accepted: \(snapshot)")
        } catch {
            #expect(error.field == invalid.field, "\(error)")
            #expect(invalid.messageContains.isEmpty || error.message.contains(invalid.messageContains), "\(error)")
            #expect(error.description == "\(error.field): \(error.message)")
        }
    }

    @Test("the error text an operator sees for a bad tenant route")
    func tenantRouteErrorText() {
        #expect(throws: FlagsError(field: "modules.payments.tenants.demo-cafe", message: #"must be "in-process", "service" or "shadow""#)) {
            try parse(#"{"modules": {"payments": {"default": "in-process", "tenants": {"demo-cafe": "remote"}}}}"#)
        }
        let error = FlagsError(field: "modules.payments.tenants.demo-cafe", message: #"must be "in-process", "service" or "shadow""#)
        #expect(error.description == #"modules.payments.tenants.demo-cafe: must be "in-process", "service" or "shadow""#)
    }

    @Test("invalid UTF-8 bytes are a JSON error, not a crash")
    func invalidUTF8() {
        var bytes = Array(#"{"modules": {"pay"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#"": {}}}"#.utf8)
        #expect(throws: FlagsError.self) { try FlagsParser.parse(bytes, source: "x") }
        do {
            _ = try FlagsParser.parse(bytes, source: "x")
        } catch {
            #expect(error.field == "json")
            #expect(error.message.contains("UTF-8"))
        }
    }

    @Test("the first problem in document order is the one reported")
    func firstProblemWins() {
        do {
            _ = try parse(#"{"modules": {"payments": {"default": "nope"}, "Inventory": {"default": "in-process"}}, "extra": 1}"#)
            Issue.record("accepted")
        } catch {
            #expect(error.field == "modules.payments.default")
        }
    }

    @Test("route: tenant override, else module default, else in-process")
    func routePrecedence() throws {
        let snapshot = try parse(
            """
            {
              "services": { "payments": "http://127.0.0.1:4004", "inventory": "http://127.0.0.1:4003" },
              "modules": {
                "payments": { "default": "in-process", "tenants": { "demo-cafe": "service" } },
                "inventory": { "default": "service", "tenants": { "demo-bistro": "in-process" } }
              }
            }
            """)
        #expect(snapshot.route(module: "payments", tenant: "demo-cafe") == .service)
        #expect(snapshot.route(module: "payments", tenant: "demo-bistro") == .inProcess)
        #expect(snapshot.route(module: "inventory", tenant: "demo-cafe") == .service)
        #expect(snapshot.route(module: "inventory", tenant: "demo-bistro") == .inProcess)
        #expect(snapshot.route(module: "orders", tenant: "demo-cafe") == .inProcess)
        #expect(FlagsSnapshot.defaults.route(module: "payments", tenant: "demo-cafe") == .inProcess)
        #expect(FlagsSnapshot.defaults.version == 0)
        #expect(FlagsSnapshot.defaults.fileVersion == nil)
        #expect(FlagsSnapshot.defaults.source == "(defaults)")
    }

    @Test("json has flags.json's own shape")
    func jsonShape() throws {
        let snapshot = try parse(paymentsFlags(tenants: ["demo-cafe": "service"]))
        #expect(
            snapshot.json
                == .object([
                    "services": .object(["payments": .string("http://127.0.0.1:4004")]),
                    "modules": .object([
                        "payments": .object([
                            "default": .string("in-process"), "tenants": .object(["demo-cafe": .string("service")]),
                        ])
                    ]),
                ]))
        // And it reads back as the same routing.
        var text = ""
        snapshot.json.write(to: &text)
        #expect(try parse(text).modules == snapshot.modules)
    }

    @Test("changes lists the effective routes and URLs that moved")
    func changesBetweenSnapshots() throws {
        let before = try parse(paymentsFlags(tenants: ["demo-cafe": "service", "demo-bistro": "in-process"]))
        let after = try parse(
            paymentsFlags(default: "service", tenants: ["demo-bistro": "in-process"], url: "http://127.0.0.1:5004"))
        #expect(
            after.changes(from: before) == [
                "services.payments: http://127.0.0.1:4004 → http://127.0.0.1:5004",
                "payments default: in-process → service",
            ])
        #expect(before.changes(from: before).isEmpty)
    }

    @Test("a file over the size limit is refused before parsing")
    func sizeLimit() {
        let bytes = [UInt8](repeating: 0x20, count: FlagsParser.maximumBytes + 1)
        #expect(throws: FlagsError(field: "file", message: "is larger than \(FlagsParser.maximumBytes) bytes")) {
            try FlagsParser.parse(bytes, source: "x")
        }
    }
}
