import Foundation
import HTTPClient
import Testing

/// `processor-sim` as the fault harness relies on it: idempotent by key
/// whatever the faults, each knob doing what it says, the ledger telling
/// the truth (also across a kill).
@Suite struct ProcessorSimTests {
    @Test func aRepeatedKeyGetsTheFirstApprovalAndIsChargedOnce() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let first = try sim.charge(key: "pay-1")
        let again = try sim.charge(key: "pay-1")
        #expect(first.status == 201)
        #expect(again.status == 200)
        let id = try #require(try first.answer.id)
        #expect(id.hasPrefix("ch_"))
        #expect(try first.answer.status == "approved")
        #expect(try again.answer.id == id)
        let charges = try sim.charges()
        #expect(charges.count == 1)
        #expect(charges.first?.key == "pay-1")
        #expect(charges.first?.status == .approved)
        #expect(charges.first?.amountCents == 1250)
        #expect(charges.first?.token == "tok_visa")
    }

    @Test(arguments: [("tok_declined", "card_declined"), ("tok_insufficient_funds", "insufficient_funds")])
    func aDecliningTokenIsDeclinedTheSameWayEveryTime(token: String, code: String) throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        for _ in 0..<2 {
            let reply = try sim.charge(key: "pay-\(token)", token: token)
            #expect(reply.status == 402)
            #expect(try reply.answer.code == code)
        }
        let charges = try sim.charges()
        #expect(charges.count == 1)
        #expect(charges.first?.status == .declined)
        #expect(charges.first?.declineCode == code)
    }

    @Test func twinsOfOneKeyRacingGetOneChargeBetweenThem() throws {
        let sim = try SimulatorProcess.start(["--latency-ms", "50"])
        defer { sim.stop() }
        let ids = Mutexed<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let id = try? sim.charge(key: "twin").answer.id
            ids.update { $0.append(id ?? "no answer") }
        }
        #expect(Set(ids.value).count == 1)
        #expect(!ids.value.contains("no answer"))
        #expect(try sim.charges().count == 1)
    }

    @Test func aKeyIsRequiredAndItsHeaderAndBodyMustAgree() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let missing = try sim.post(
            "/charges", ["amount_cents": 100, "currency": "EUR", "token": "tok_visa"], headers: [])
        #expect(missing.status == 400)
        #expect(try missing.answer.code == "missing_idempotency_key")
        let mismatch = try sim.post(
            "/charges", ["amount_cents": 100, "currency": "EUR", "token": "tok_visa", "idempotency_key": "a"],
            headers: [("idempotency-key", "b")])
        #expect(try mismatch.answer.code == "idempotency_key_mismatch")
        let reused = try sim.charge(key: "k")
        #expect(reused.status == 201)
        let otherAmount = try sim.charge(key: "k", amountCents: 999)
        #expect(otherAmount.status == 409)
        #expect(try sim.charges().count == 1)
    }

    @Test func theDeclineRateDeclinesApprovableCards() throws {
        let sim = try SimulatorProcess.start(["--decline-rate", "1"])
        defer { sim.stop() }
        let declined = try sim.charge(key: "a")
        #expect(declined.status == 402)
        #expect(try declined.answer.code == "card_declined")
        #expect(try sim.setKnobs(["decline_rate": 0]).status == 200)
        #expect(try sim.charge(key: "b").status == 201)
        // The first answer of a key stands after the knob moved.
        #expect(try sim.charge(key: "a").status == 402)
    }

    @Test func theSameSeedMakesTheSameChoices() throws {
        func pattern() throws -> [Int] {
            let sim = try SimulatorProcess.start(["--decline-rate", "0.5", "--seed", "42"])
            defer { sim.stop() }
            return try (0..<24).map { try sim.charge(key: "seeded-\($0)").status }
        }
        let first = try pattern()
        #expect(first == (try pattern()))
        #expect(first.contains(201) && first.contains(402), "a rate of 0.5 over 24 charges mixes both: \(first)")
    }

    @Test func anInjectedErrorAnswers503AndChargesNothing() throws {
        let sim = try SimulatorProcess.start(["--error-rate", "1"])
        defer { sim.stop() }
        let refused = try sim.charge(key: "e")
        #expect(refused.status == 503)
        #expect(try sim.charges().isEmpty)
        #expect(try sim.setKnobs(["error_rate": 0]).status == 200)
        #expect(try sim.charge(key: "e").status == 201)
        #expect(try sim.ledger().counters.errorsInjected == 1)
        #expect(try sim.charges().count == 1)
    }

    @Test func latencyDelaysTheAnswerButTheChargeIsAlreadyDecided() throws {
        let sim = try SimulatorProcess.start(["--latency-ms", "600"])
        defer { sim.stop() }
        let started = Date()
        #expect(try sim.charge(key: "slow").status == 201)
        #expect(Date().timeIntervalSince(started) >= 0.6)
        // A caller that gives up first has still been charged.
        #expect(throws: HTTPClientError.timedOut) { try sim.charge(key: "impatient", timeout: 0.2) }
        let charges = try sim.charges()
        #expect(charges.map(\.key) == ["slow", "impatient"])
    }

    @Test func aDroppedAnswerLeavesAnApprovedChargeTheCallerNeverHeardOf() throws {
        let sim = try SimulatorProcess.start(["--drop-after-charge-rate", "1", "--drop-hold-ms", "800"])
        defer { sim.stop() }
        let started = Date()
        let held = try sim.charge(key: "lost")
        #expect(held.status == 504)
        #expect(Date().timeIntervalSince(started) >= 0.8)
        #expect(throws: HTTPClientError.timedOut) { try sim.charge(key: "lost-too", timeout: 0.3) }
        let charges = try sim.charges()
        #expect(charges.count == 2)
        #expect(charges.allSatisfy { $0.status == .approved && $0.withheld })
        // Asking again with the same key learns the charge at once, and charges nothing more.
        let again = try sim.charge(key: "lost")
        #expect(again.status == 200)
        #expect(try again.answer.id == charges.first?.chargeID)
        #expect(try sim.charges().count == 2)
    }

    @Test func aRefundHappensOncePerChargeAndARepeatedKeyGetsItBack() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let charge = try #require(try sim.charge(key: "p").answer.id)
        let refunded = try sim.refund(key: "refund:p", chargeID: charge)
        #expect(refunded.status == 201)
        #expect(try refunded.answer.chargeID == charge)
        let repeated = try sim.refund(key: "refund:p", chargeID: charge)
        #expect(repeated.status == 200)
        #expect(try repeated.answer == refunded.answer)
        #expect(try sim.refund(key: "refund:other", chargeID: charge).answer.code == "already_refunded")
        #expect(try sim.refund(key: "refund:x", chargeID: "ch_unknown").status == 404)
        let declined = try sim.charge(key: "d", token: "tok_declined")
        #expect(declined.status == 402)
        let ledger = try sim.ledger()
        #expect(ledger.charges.first?.refunded == true)
        #expect(ledger.charges.first?.refundKey == "refund:p")
        #expect(ledger.refunds.count == 1)
        #expect(ledger.totals.approved == 1)
        #expect(ledger.totals.refunded == 1)
        #expect(ledger.totals.netCents == 0)
    }

    @Test func knobsStartFromTheFlagsAndChangeOnlyWhereAsked() throws {
        let sim = try SimulatorProcess.start(["--latency-ms", "5", "--error-rate", "0.25", "--seed", "7"])
        defer { sim.stop() }
        let initial = try sim.knobs()
        #expect(initial.latencyMS == 5)
        #expect(initial.errorRate == 0.25)
        #expect(initial.dropHoldMS == 30_000)
        let changed = try sim.setKnobs(["decline_rate": 0.5])
        #expect(changed.status == 200)
        var expected = initial
        expected.declineRate = 0.5
        #expect(try changed.knobs == expected, "only the knob named changed")
        let invalid = try sim.setKnobs(["error_rate": 2])
        #expect(invalid.status == 400)
        #expect(try sim.knobs() == expected)
        #expect(try sim.postRaw("/_sim/knobs", Array("not json".utf8), headers: []).status == 400)
    }

    @Test func theLedgerFileKeepsEveryAnsweredChargeAcrossAKill() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sim-ledger-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try SimulatorProcess.start(["--ledger-file", path])
        let id = try #require(try first.charge(key: "durable").answer.id)
        #expect(try first.refund(key: "refund:durable", chargeID: id).status == 201)
        _ = try first.charge(key: "no", token: "tok_declined")
        first.crash()

        let second = try SimulatorProcess.start(["--ledger-file", path])
        defer { second.stop() }
        let again = try second.charge(key: "durable")
        #expect(again.status == 200)
        #expect(try again.answer.id == id)
        #expect(try second.refund(key: "refund:durable", chargeID: id).status == 200)
        let charges = try second.charges()
        #expect(charges.count == 2)
        #expect(charges.first?.refunded == true)
        #expect(charges.last?.declineCode == "card_declined")
    }
}
