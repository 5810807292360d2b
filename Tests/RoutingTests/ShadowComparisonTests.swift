import Platform
import Routing
import Testing

/// The field-by-field comparison of an in-process answer with a service's:
/// every differing leaf at its path with both values, members and elements
/// only one side has, and volatile keys skipped at any depth.
@Suite struct ShadowComparisonTests {
    typealias Difference = ShadowComparison.Difference

    static let payment: JSONValue = .object([
        "id": .string("p-1"), "amount_cents": .int(500), "currency": .string("EUR"),
        "created_at": .string("2026-12-02T03:00:00Z"), "refunded_at": .null,
    ])

    private func differences(_ a: JSONValue, _ b: JSONValue, volatile: Set<String> = []) -> [Difference] {
        ShadowComparison.differences(inProcess: a, service: b, volatile: volatile).found
    }

    @Test func equalAnswersHaveNoDifference() {
        #expect(differences(Self.payment, Self.payment).isEmpty)
        #expect(differences(.array([Self.payment, .int(1)]), .array([Self.payment, .int(1)])).isEmpty)
        // The same number written as an integer or a decimal is the same value.
        #expect(differences(.object(["n": .int(2)]), .object(["n": .double(2.0)])).isEmpty)
    }

    @Test func aChangedLeafIsReportedAtItsPathWithBothValues() {
        var changed = Self.payment
        if case .object(var members) = changed { members["amount_cents"] = .int(501); changed = .object(members) }
        #expect(differences(Self.payment, changed) == [Difference(path: ".amount_cents", inProcess: .int(500), service: .int(501))])
        // A change of type is a change of value too.
        #expect(
            differences(.object(["a": .int(1)]), .object(["a": .string("1")]))
                == [Difference(path: ".a", inProcess: .int(1), service: .string("1"))])
        // null is a value, not an absence.
        #expect(
            differences(.object(["a": .null]), .object(["a": .int(0)]))
                == [Difference(path: ".a", inProcess: .null, service: .int(0))])
    }

    @Test func missingAndExtraKeysAreReportedAsAbsentOnOneSide() {
        let base: JSONValue = .object(["a": .int(1), "b": .int(2)])
        #expect(
            differences(base, .object(["a": .int(1)])) == [Difference(path: ".b", inProcess: .int(2), service: nil)])
        #expect(
            differences(base, .object(["a": .int(1), "b": .int(2), "c": .bool(true)]))
                == [Difference(path: ".c", inProcess: nil, service: .bool(true))])
    }

    @Test func arraysAreComparedByLengthAndIndex() {
        let two: JSONValue = .array([.int(1), .int(2)])
        #expect(differences(two, .array([.int(1)])) == [Difference(path: "[1]", inProcess: .int(2), service: nil)])
        #expect(
            differences(two, .array([.int(1), .int(2), .int(3), .int(4)]))
                == [Difference(path: "[2]", inProcess: nil, service: .int(3)),
                    Difference(path: "[3]", inProcess: nil, service: .int(4))])
        // Order matters: the same elements in another order differ index by index.
        #expect(differences(two, .array([.int(2), .int(1)])).map(\.path) == ["[0]", "[1]"])
    }

    @Test func nestedDifferencesCarryTheWholePath() {
        let a: JSONValue = .object(["payments": .array([.object(["amount_cents": .int(500), "status": .string("captured")])])])
        let b: JSONValue = .object(["payments": .array([.object(["amount_cents": .int(700), "status": .string("refunded")])])])
        #expect(
            differences(a, b) == [
                Difference(path: ".payments[0].amount_cents", inProcess: .int(500), service: .int(700)),
                Difference(path: ".payments[0].status", inProcess: .string("captured"), service: .string("refunded")),
            ])
        // A whole answer of another kind is one difference at the empty path.
        #expect(differences(a, .array([])) == [Difference(path: "", inProcess: a, service: .array([]))])
    }

    @Test func volatileKeysAreIgnoredAtAnyDepthButNothingElseIs() {
        let a: JSONValue = .object([
            "updated_at": .string("2026-12-02T03:00:00Z"),
            "items": .array([.object(["updated_at": .string("2026-12-02T03:00:00Z"), "quantity": .int(3)])]),
        ])
        let b: JSONValue = .object([
            "items": .array([.object(["updated_at": .string("2026-12-02T03:00:09Z"), "quantity": .int(4)])])
        ])
        #expect(differences(a, b, volatile: ["updated_at"]) == [
            Difference(path: ".items[0].quantity", inProcess: .int(3), service: .int(4))
        ])
        // Without the declaration the same answers differ in those fields as well.
        #expect(differences(a, b).map(\.path) == [".items[0].quantity", ".items[0].updated_at", ".updated_at"])
    }

    @Test func aLongDiffIsCappedButCountedInFull() {
        let a: JSONValue = .array((0..<80).map { .int(Int64($0)) })
        let b: JSONValue = .array((0..<80).map { .int(Int64($0) + 1) })
        let result = ShadowComparison.differences(inProcess: a, service: b, limit: 50)
        #expect(result.found.count == 50)
        #expect(result.total == 80)
    }
}
