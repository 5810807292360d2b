import Facade
import Foundation
import Platform
import Testing

/// A caller's description of a module (what the monolith calls) against a
/// service's, each built from Codable types by the real description builder
/// (`OperationTable.contract`): the service's types are the caller's with
/// one change each.
@Suite("Contract compatibility")
struct ContractCompatibilityTests {
    // The caller's types: `pay.charge` and the read-only `pay.lookup`.

    private struct ChargeRequest: ContractSample {
        var amountCents: Int
        var currency: String
        var note: String?

        static let contractSample = ChargeRequest(amountCents: 100, currency: "EUR", note: "n")

        enum CodingKeys: String, CodingKey {
            case amountCents = "amount_cents"
            case currency, note
        }
    }

    private struct Charge<Receipt: PaymentVariant, Element: ContractSample>: ContractSample {
        var payment: Receipt
        var lines: [Element]

        static var contractSample: Self { Self(payment: .contractSample, lines: [.contractSample]) }
    }

    private protocol PaymentVariant: ContractSample {}

    private struct Payment: PaymentVariant {
        var id: String
        var amountCents: Int
        var refundedAt: Date?

        static let contractSample = Payment(id: "p", amountCents: 100, refundedAt: Date(timeIntervalSince1970: 0))

        enum CodingKeys: String, CodingKey {
            case id
            case amountCents = "amount_cents"
            case refundedAt = "refunded_at"
        }
    }

    private struct Line: ContractSample {
        var sku: String
        static let contractSample = Line(sku: "s")
    }

    private struct Lookup: ContractSample {
        var id: String
        static let contractSample = Lookup(id: "p")
    }

    private typealias CallerCharge = Charge<Payment, Line>

    // The services' changes.

    private struct ChargeRequestWithTip: ContractSample {
        var amount_cents: Int
        var currency: String
        var note: String?
        var tip_cents: Int
        static let contractSample = ChargeRequestWithTip(amount_cents: 100, currency: "EUR", note: "n", tip_cents: 5)
    }

    private struct ChargeRequestWithOptionalTip: ContractSample {
        var amount_cents: Int
        var currency: String
        var note: String?
        var tip_cents: Int?
        static let contractSample = ChargeRequestWithOptionalTip(
            amount_cents: 100, currency: "EUR", note: "n", tip_cents: 5)
    }

    /// Needs the note the caller may leave out.
    private struct ChargeRequestNeedingNote: ContractSample {
        var amount_cents: Int
        var currency: String
        var note: String
        static let contractSample = ChargeRequestNeedingNote(amount_cents: 100, currency: "EUR", note: "n")
    }

    /// Knows no note any more, and reads it as synthesized Codable does: ignoring it.
    private struct ChargeRequestWithoutNote: ContractSample {
        var amount_cents: Int
        var currency: String
        static let contractSample = ChargeRequestWithoutNote(amount_cents: 100, currency: "EUR")
    }

    /// Knows no note any more, and refuses a body that has one.
    private struct StrictChargeRequestWithoutNote: ContractSample {
        var amount_cents: Int
        var currency: String
        static let contractSample = StrictChargeRequestWithoutNote(amount_cents: 100, currency: "EUR")

        private enum Keys: String, CodingKey { case amount_cents, currency }

        private struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(amount_cents: Int, currency: String) {
            self.amount_cents = amount_cents
            self.currency = currency
        }

        init(from decoder: any Decoder) throws {
            let all = try decoder.container(keyedBy: AnyKey.self)
            if let stranger = all.allKeys.first(where: { Keys(rawValue: $0.stringValue) == nil }) {
                throw DecodingError.dataCorruptedError(forKey: stranger, in: all, debugDescription: "unknown key")
            }
            let container = try decoder.container(keyedBy: Keys.self)
            amount_cents = try container.decode(Int.self, forKey: .amount_cents)
            currency = try container.decode(String.self, forKey: .currency)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(amount_cents, forKey: .amount_cents)
            try container.encode(currency, forKey: .currency)
        }
    }

    private struct PaymentWithTextAmount: PaymentVariant {
        var id: String
        var amount_cents: String
        var refunded_at: Date?
        static let contractSample = PaymentWithTextAmount(
            id: "p", amount_cents: "100", refunded_at: Date(timeIntervalSince1970: 0))
    }

    private struct PaymentWithoutID: PaymentVariant {
        var amount_cents: Int
        var refunded_at: Date?
        static let contractSample = PaymentWithoutID(amount_cents: 100, refunded_at: Date(timeIntervalSince1970: 0))
    }

    private struct PaymentWithoutRefundedAt: PaymentVariant {
        var id: String
        var amount_cents: Int
        static let contractSample = PaymentWithoutRefundedAt(id: "p", amount_cents: 100)
    }

    private struct PaymentMaybeWithoutID: PaymentVariant {
        var id: String?
        var amount_cents: Int
        var refunded_at: Date?
        static let contractSample = PaymentMaybeWithoutID(
            id: "p", amount_cents: 100, refunded_at: Date(timeIntervalSince1970: 0))
    }

    private struct PaymentWithReceipt: PaymentVariant {
        var id: String
        var amount_cents: Int
        var refunded_at: Date?
        var receipt_url: String
        static let contractSample = PaymentWithReceipt(
            id: "p", amount_cents: 100, refunded_at: Date(timeIntervalSince1970: 0), receipt_url: "https://r")
    }

    private struct PaymentWithFractionalAmount: PaymentVariant {
        var id: String
        var amount_cents: Double
        var refunded_at: Date?
        static let contractSample = PaymentWithFractionalAmount(
            id: "p", amount_cents: 100.5, refunded_at: Date(timeIntervalSince1970: 0))
    }

    private struct NumericLine: ContractSample {
        var sku: Int
        static let contractSample = NumericLine(sku: 1)
    }

    /// The module's description with `pay.charge` taking `Request` and
    /// answering `Response`, through a real table.
    private func contract<Request: ContractSample, Response: ContractSample>(
        charge _: Request.Type = ChargeRequest.self, _: Response.Type = CallerCharge.self, module: String = "pay",
        lookup: Bool = true, lookupReadOnly: Bool = true, refund: Bool = false
    ) -> ContractDescription {
        let table = OperationTable(module: module, decodeError: { _ in nil })
            .bind(Operation<Request, Response>("\(module).charge")) { _, _ in .contractSample }
        if lookup {
            table.bind(Operation<Lookup, Payment>("\(module).lookup", readOnly: lookupReadOnly)) { _, _ in .contractSample }
        }
        if refund {
            table.bind(Operation<Lookup, Payment>("\(module).refund")) { _, _ in .contractSample }
        }
        return table.contract
    }

    private var caller: ContractDescription { contract() }

    private func check(_ served: ContractDescription) -> ContractCompatibility {
        ContractCompatibility.check(expected: caller, served: served)
    }

    private func locations(_ findings: [ContractFinding]) -> [String] {
        findings.map { "\($0.location) \($0.kind.rawValue)" }
    }

    @Test func everyDescriptionIsCompatibleWithItselfAndItsServedForm() throws {
        for own in [EchoModule.table().contract, caller, contract(refund: true)] {
            let served = try WireJSON.decode(ContractDescription.self, from: try WireJSON.encode(own))
            let verdict = ContractCompatibility.check(expected: own, served: served)
            #expect(verdict.isCompatible && verdict.findings.isEmpty, "\(own.module): \(verdict.findings)")
        }
        #expect(check(caller).findings.isEmpty)
    }

    @Test func aMissingOperationBreaks() {
        let verdict = check(contract(lookup: false))
        #expect(!verdict.isCompatible)
        #expect(locations(verdict.findings) == ["pay.lookup operation_missing"])
    }

    @Test func anotherModuleBreaks() {
        let verdict = check(contract(module: "payz"))
        #expect(!verdict.isCompatible)
        #expect(verdict.breaking.map(\.kind).contains(.moduleMismatch))
        #expect(verdict.breaking.filter { $0.kind == .operationMissing }.map(\.operation) == ["pay.charge", "pay.lookup"])
    }

    @Test func aChangedFieldTypeBreaksAtItsPath() throws {
        let verdict = check(contract(Charge<PaymentWithTextAmount, Line>.self))
        #expect(!verdict.isCompatible)
        let finding = try #require(verdict.findings.first)
        #expect(verdict.findings.count == 1)
        #expect(finding.description == "pay.charge response .payment.amount_cents: breaking: type changed integer → string")
    }

    @Test func aChangedArrayElementTypeBreaks() {
        let verdict = check(contract(Charge<Payment, NumericLine>.self))
        #expect(locations(verdict.breaking) == ["pay.charge response .lines[].sku type_changed"])
    }

    @Test func aNumberReaderReadsAnIntegerButAnIntegerReaderNotANumber() {
        let fractional = contract(Charge<PaymentWithFractionalAmount, Line>.self)
        #expect(locations(check(fractional).findings) == ["pay.charge response .payment.amount_cents type_changed"])
        #expect(ContractCompatibility.check(expected: fractional, served: caller).findings.isEmpty)
    }

    @Test func whatASampleLeftWithoutATypeIsNotedNotCompared() {
        // Shapes as samples with a null and an empty array give them: no
        // Codable type of a contract sample has either, so they are written out.
        let expected = ContractDescription(
            module: "pay",
            operations: [
                OperationDescription(
                    name: "pay.lookup", readOnly: true, requestShape: #"{"id":"string"}"#,
                    responseShape: #"{"lines":[{"sku":"string"}],"note":"string"}"#, requestOptional: [],
                    responseOptional: [])
            ])
        let served = ContractDescription(
            module: "pay",
            operations: [
                OperationDescription(
                    name: "pay.lookup", readOnly: true, requestShape: #"{"id":"string"}"#,
                    responseShape: #"{"lines":[],"note":"null"}"#, requestOptional: [], responseOptional: [])
            ])
        let verdict = ContractCompatibility.check(expected: expected, served: served)
        #expect(verdict.isCompatible)
        #expect(
            locations(verdict.findings) == [
                "pay.lookup response .lines[] not_compared", "pay.lookup response .note not_compared",
            ])
    }

    @Test func aNewRequiredRequestFieldBreaks() {
        let verdict = check(contract(charge: ChargeRequestWithTip.self))
        #expect(!verdict.isCompatible)
        #expect(locations(verdict.findings) == ["pay.charge request .tip_cents required_field_added"])
    }

    @Test func requiringAFieldTheCallerMayLeaveOutBreaks() {
        let verdict = check(contract(charge: ChargeRequestNeedingNote.self))
        #expect(locations(verdict.findings) == ["pay.charge request .note may_be_omitted"])
    }

    @Test func additiveChangesAreCompatibleAndNoted() {
        let verdict = check(
            contract(charge: ChargeRequestWithOptionalTip.self, Charge<PaymentWithReceipt, Line>.self, refund: true))
        #expect(verdict.isCompatible, "\(verdict.breaking)")
        #expect(
            locations(verdict.additive) == [
                "pay.charge request .tip_cents new_optional_field",
                "pay.charge response .payment.receipt_url new_field",
                "pay.refund new_operation",
            ])
    }

    @Test func aRemovedResponseFieldTheCallerNeedsBreaks() {
        let verdict = check(contract(Charge<PaymentWithoutID, Line>.self))
        #expect(!verdict.isCompatible)
        #expect(locations(verdict.findings) == ["pay.charge response .payment.id field_removed"])
    }

    @Test func aRemovedResponseFieldTheCallerDoesWithoutIsNoted() {
        let verdict = check(contract(Charge<PaymentWithoutRefundedAt, Line>.self))
        #expect(verdict.isCompatible)
        #expect(locations(verdict.findings) == ["pay.charge response .payment.refunded_at optional_field_dropped"])
    }

    @Test func aResponseFieldTheServiceMayLeaveOutBreaksACallerThatNeedsIt() {
        let verdict = check(contract(Charge<PaymentMaybeWithoutID, Line>.self))
        #expect(locations(verdict.findings) == ["pay.charge response .payment.id may_be_omitted"])
        // The other way round, the caller does without what the service always sends.
        let reverse = ContractCompatibility.check(
            expected: contract(Charge<PaymentMaybeWithoutID, Line>.self), served: caller)
        #expect(reverse.findings.isEmpty)
    }

    @Test func aRequestFieldTheServiceNoLongerKnowsBreaksOnlyWhereUnknownKeysAreRefused() {
        let lenient = check(contract(charge: ChargeRequestWithoutNote.self))
        #expect(lenient.isCompatible)
        #expect(locations(lenient.findings) == ["pay.charge request .note field_ignored"])
        let strict = check(contract(charge: StrictChargeRequestWithoutNote.self))
        #expect(!strict.isCompatible)
        #expect(locations(strict.findings) == ["pay.charge request .note unknown_field_refused"])
    }

    @Test func aReadOnlyOperationThatNoLongerIsBreaks() {
        #expect(locations(check(contract(lookupReadOnly: false)).findings) == ["pay.lookup no_longer_read_only"])
        let relaxed = ContractCompatibility.check(expected: contract(lookupReadOnly: false), served: caller)
        #expect(relaxed.isCompatible && locations(relaxed.findings) == ["pay.lookup now_read_only"])
    }

    @Test func findingsComeInAFixedOrderBreakingFirst() {
        let served = contract(charge: ChargeRequestWithTip.self, Charge<PaymentWithoutID, NumericLine>.self, refund: true)
        let verdict = check(served)
        #expect(
            locations(verdict.findings) == [
                "pay.charge request .tip_cents required_field_added",
                "pay.charge response .lines[].sku type_changed",
                "pay.charge response .payment.id field_removed",
                "pay.refund new_operation",
            ])
        #expect(check(served) == verdict)
    }

    /// `GET /contract` as a service built before requiredness would serve
    /// it (no optional paths), edited by hand: the amount became a string
    /// and a `pay.void` operation appeared.
    private static let handEdited = #"""
        {"fingerprint":"edited-by-hand","module":"pay","operations":[
          {"name":"pay.charge","read_only":false,
           "request_shape":"{\"amount_cents\":\"integer\",\"currency\":\"string\",\"note\":\"string\"}",
           "response_shape":"{\"lines\":[{\"sku\":\"string\"}],\"payment\":{\"amount_cents\":\"string\",\"id\":\"string\",\"refunded_at\":\"string\"}}"},
          {"name":"pay.lookup","read_only":true,"request_shape":"{\"id\":\"string\"}",
           "response_shape":"{\"amount_cents\":\"integer\",\"id\":\"string\",\"refunded_at\":\"string\"}"},
          {"name":"pay.void","read_only":false,"request_shape":"{\"id\":\"string\"}","response_shape":"{}"}
        ]}
        """#

    @Test func aHandEditedServedDocumentIsReadAndChecked() throws {
        let served = try WireJSON.decode(ContractDescription.self, from: Array(Self.handEdited.utf8))
        #expect(served.operations.allSatisfy { $0.requestOptional == nil && $0.responseOptional == nil })
        let again = try WireJSON.decode(ContractDescription.self, from: try WireJSON.encode(served))
        #expect(again == served, "the served form round-trips")

        let verdict = check(served)
        #expect(
            locations(verdict.findings) == [
                "pay.charge response .payment.amount_cents type_changed",
                "pay.void new_operation",
            ])

        // Undone by hand, the old document is compatible: where it says
        // nothing of optional fields, the caller's own types stand in.
        let undone = Self.handEdited.replacingOccurrences(
            of: #"\"amount_cents\":\"string\""#, with: #"\"amount_cents\":\"integer\""#)
        let old = try WireJSON.decode(ContractDescription.self, from: Array(undone.utf8))
        #expect(locations(check(old).findings) == ["pay.void new_operation"])
    }
}
