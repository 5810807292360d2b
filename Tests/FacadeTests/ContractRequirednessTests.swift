import Facade
import Foundation
import Platform
import Security
import Testing

/// What a description learns from the operation's types' decoders, beyond
/// the shapes of their samples.
@Suite("Contract requiredness")
struct ContractRequirednessTests {
    private struct Order: ContractSample {
        var id: String
        var note: String?
        var lines: [Line]
        var customer: Customer?

        static let contractSample = Order(
            id: "o", note: "n", lines: [Line(sku: "s", comment: "c")], customer: Customer(name: "a", email: "e"))
    }

    private struct Line: Codable, Sendable {
        var sku: String
        var comment: String?
    }

    private struct Customer: Codable, Sendable {
        var name: String
        var email: String?
    }

    /// Refuses keys it does not know, as a hand-written decoder may.
    private struct Strict: ContractSample {
        var code: String
        var limit: Int?

        static let contractSample = Strict(code: "c", limit: 1)

        private enum Keys: String, CodingKey, CaseIterable {
            case code, limit
        }

        private struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(code: String, limit: Int?) {
            self.code = code
            self.limit = limit
        }

        init(from decoder: any Decoder) throws {
            let all = try decoder.container(keyedBy: AnyKey.self)
            let known = Set(Keys.allCases.map(\.rawValue))
            if let stranger = all.allKeys.first(where: { !known.contains($0.stringValue) }) {
                throw DecodingError.dataCorruptedError(
                    forKey: stranger, in: all, debugDescription: "unknown key \(stranger.stringValue)")
            }
            let container = try decoder.container(keyedBy: Keys.self)
            code = try container.decode(String.self, forKey: .code)
            limit = try container.decodeIfPresent(Int.self, forKey: .limit)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(code, forKey: .code)
            try container.encodeIfPresent(limit, forKey: .limit)
        }
    }

    private func describe<Request: ContractSample, Response: ContractSample>(
        _: Request.Type, _: Response.Type, readOnly: Bool = false
    ) throws -> OperationDescription {
        let table = OperationTable(module: "probe", decodeError: { _ in nil })
            .bind(Operation<Request, Response>("probe.op", readOnly: readOnly)) { _, _ in .contractSample }
        return try #require(table.contract.operations.first)
    }

    @Test func optionalMembersAreFoundAtEveryDepthAndInArrayElements() throws {
        let operation = try describe(Order.self, [Order].self)
        #expect(operation.requestOptional == [".customer", ".customer.email", ".lines[].comment", ".note"])
        #expect(operation.responseOptional == ["[].customer", "[].customer.email", "[].lines[].comment", "[].note"])
        #expect(operation.requestClosed == nil, "WireJSON ignores unknown keys of a synthesized Codable type")
        #expect(operation.responseClosed == nil)
    }

    @Test func echoTypesSayWhatTheirOptionalsAre() throws {
        let say = try #require(EchoModule.table().contract.operations.first { $0.name == "echo.say" })
        #expect(say.requestOptional == [".times"])
        #expect(say.responseOptional == [".at"])
        let find = try #require(EchoModule.table().contract.operations.first { $0.name == "echo.find" })
        #expect(find.requestOptional == [])
        #expect(find.responseOptional == [], "an optional Item still needs its keys when it is there")
        let add = try #require(EchoModule.table().contract.operations.first { $0.name == "echo.add" })
        #expect(add.requestOptional == [] && add.responseOptional == [], "a bare integer has no members")
    }

    @Test func aDecoderThatRefusesUnknownKeysMakesItsObjectClosed() throws {
        let operation = try describe(Strict.self, Empty.self)
        #expect(operation.requestClosed == [""])
        #expect(operation.requestOptional == [".limit"])
        #expect(operation.responseClosed == nil)
    }

    @Test func requirednessIsPartOfTheFingerprintAndTheWireForm() throws {
        let operation = try describe(Order.self, Strict.self)
        let text = String(decoding: try WireJSON.encode(operation), as: UTF8.self)
        #expect(text.contains(#""request_optional":[".customer",".customer.email",".lines[].comment",".note"]"#))
        #expect(text.contains(#""response_closed":[""]"#))
        #expect(try WireJSON.decode(OperationDescription.self, from: Array(text.utf8)) == operation)

        let contract = ContractDescription(module: "probe", operations: [operation])
        var relaxed = operation
        relaxed.requestOptional = [".customer", ".customer.email", ".lines[].comment", ".lines[].sku", ".note"]
        #expect(ContractDescription(module: "probe", operations: [relaxed]).fingerprint != contract.fingerprint)
        var open = operation
        open.responseClosed = nil
        #expect(ContractDescription(module: "probe", operations: [open]).fingerprint != contract.fingerprint)
    }

    @Test func aDescriptionWithoutRequirednessKeepsItsOldFingerprint() throws {
        // What a service built before requiredness serves: no optional paths.
        let old = OperationDescription(
            name: "probe.op", readOnly: true, requestShape: "{}", responseShape: #"{"id":"string"}"#)
        let contract = ContractDescription(module: "probe", operations: [old])
        // The fingerprint the earlier code computed for the same description.
        let canonical = "module probe\noperation probe.op\nread_only true\nrequest {}\nresponse {\"id\":\"string\"}\n"
        #expect(contract.fingerprint == Hex.encode(Digest.sha256(Array(canonical.utf8))))
        let text = String(decoding: try WireJSON.encode(contract), as: UTF8.self)
        #expect(!text.contains("optional") && !text.contains("closed"))
    }
}
