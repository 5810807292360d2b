import Facade
import Foundation
import Platform
import Testing

@Suite("Contract descriptions")
struct ContractDescriptionTests {
    /// What a widget's contract sample fills in: varied to see the fingerprint follow.
    private protocol SampleVariant: SendableMetatype {
        static var size: Int? { get }
        static var tags: [String] { get }
    }

    private enum Full: SampleVariant {
        static let size: Int? = 3
        static let tags = ["t"]
    }

    /// A sample that forgot an optional field: the key is not in the contract.
    private enum WithoutSize: SampleVariant {
        static let size: Int? = nil
        static let tags = ["t"]
    }

    /// A sample with an empty array: the element's type is not in the contract.
    private enum WithoutTags: SampleVariant {
        static let size: Int? = 3
        static let tags: [String] = []
    }

    private struct Widget<Variant: SampleVariant>: ContractSample {
        var name: String
        var size: Int?
        var tags: [String]
        var price: Double
        var active: Bool
        var nested: Nested?

        static var contractSample: Self {
            Self(
                name: "w", size: Variant.size, tags: Variant.tags, price: 1.5, active: true,
                nested: Nested(at: Date(timeIntervalSince1970: 0)))
        }
    }

    private struct Nested: Codable, Sendable {
        var at: Date
    }

    private func table<Variant: SampleVariant>(_: Variant.Type = Full.self, lookupReadOnly: Bool = true, lookup: Bool = true)
        -> OperationTable
    {
        let table = OperationTable(module: "widgets", decodeError: { _ in nil })
            .bind(Operation<Widget<Variant>, Widget<Variant>>("widgets.make")) { _, widget in widget }
        if lookup {
            table.bind(Operation<Empty, Widget<Variant>>("widgets.lookup", readOnly: lookupReadOnly)) { _, _ in
                .contractSample
            }
        }
        return table
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
        #expect(table(WithoutSize.self).contract.fingerprint != base, "a key left the contract")
        #expect(table(WithoutTags.self).contract.fingerprint != base, "an array's element type changed")
        #expect(table(lookupReadOnly: false).contract.fingerprint != base, "read-only changed")
        #expect(table(lookup: false).contract.fingerprint != base, "an operation left")
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
