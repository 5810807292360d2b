import Facade
import Foundation
import Platform
import Testing

@Suite("Contract descriptions")
struct ContractDescriptionTests {
    private struct Widget: Codable, Sendable {
        var name: String
        var size: Int?
        var tags: [String]
        var price: Double
        var active: Bool
        var nested: Nested?
    }

    private struct Nested: Codable, Sendable {
        var at: Date
    }

    private static let widget = Operation<Widget, Widget>("widgets.make")
    private static let lookup = Operation<Empty, Widget>("widgets.lookup", readOnly: true)
    private static let full = Widget(
        name: "w", size: 3, tags: ["t"], price: 1.5, active: true, nested: Nested(at: Date(timeIntervalSince1970: 0)))

    private func table(sample: Widget = full, lookupReadOnly: Bool = true) -> OperationTable {
        OperationTable(module: "widgets", decodeError: { _ in nil })
            .bind(ContractDescriptionTests.widget, sample: (sample, sample)) { _, widget in widget }
            .bind(
                lookupReadOnly ? ContractDescriptionTests.lookup : Operation<Empty, Widget>("widgets.lookup"),
                sample: (Empty(), sample)
            ) { _, _ in ContractDescriptionTests.full }
    }

    @Test func shapeNamesEveryKeyWithItsJSONType() throws {
        let contract = table().contract
        let make = try #require(contract.operations.first { $0.name == "widgets.make" })
        #expect(
            make.requestShape
                == #"{"active":"boolean","name":"string","nested":{"at":"string"},"price":"number","size":"integer","tags":["string"]}"#)
        #expect(contract.operations.map(\.name) == ["widgets.lookup", "widgets.make"])
        #expect(contract.operations.first?.requestShape == "{}")
    }

    @Test func sameTableSameFingerprint() {
        #expect(table().contract == table().contract)
        #expect(table().contract.fingerprint.count == 64)
    }

    @Test func fingerprintChangesWithTheContract() {
        let base = table().contract.fingerprint
        var withoutSize = ContractDescriptionTests.full
        withoutSize.size = nil
        var otherType = ContractDescriptionTests.full
        otherType.tags = []
        #expect(table(sample: withoutSize).contract.fingerprint != base, "a key left the contract")
        #expect(table(sample: otherType).contract.fingerprint != base, "an array's element type changed")
        #expect(table(lookupReadOnly: false).contract.fingerprint != base, "read-only changed")
        let fewer = OperationTable(module: "widgets", decodeError: { _ in nil })
            .bind(ContractDescriptionTests.widget, sample: (ContractDescriptionTests.full, ContractDescriptionTests.full)) { _, w in w }
        #expect(fewer.contract.fingerprint != base, "an operation left")
    }

    @Test func decodeErrorFallsBackToPlatformThenTheProblem() {
        let table = EchoModule.table()
        #expect(table.decodeError(EchoError(kind: .busy).problem) as? EchoError == EchoError(kind: .busy))
        #expect(table.decodeError(AccessDenied(needed: .manager).problem) as? AccessDenied == AccessDenied(needed: .manager))
        #expect(table.decodeError(DeadlineExceeded().problem) is DeadlineExceeded)
        #expect(table.decodeError(ModuleUnavailable(module: "x", reason: "y").problem) is ModuleUnavailable)
        let other = Problem(status: 400, code: "something_else", detail: "?")
        #expect(table.decodeError(other) as? Problem == other)
    }
}
