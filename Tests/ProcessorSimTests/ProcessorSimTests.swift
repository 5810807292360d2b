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
        let id = try #require(first.json["id"] as? String)
        #expect(id.hasPrefix("ch_"))
        #expect(again.json["id"] as? String == id)
        let charges = try sim.charges()
        #expect(charges.count == 1)
        #expect(charges.first?["key"] as? String == "pay-1")
        #expect(charges.first?["status"] as? String == "approved")
        #expect(charges.first?["amount_cents"] as? Int == 1250)
        #expect(charges.first?["token"] as? String == "tok_visa")
    }

    @Test(arguments: [("tok_declined", "card_declined"), ("tok_insufficient_funds", "insufficient_funds")])
    func aDecliningTokenIsDeclinedTheSameWayEveryTime(token: String, code: String) throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        for _ in 0..<2 {
            let reply = try sim.charge(key: "pay-\(token)", token: token)
            #expect(reply.status == 402)
            #expect(reply.json["code"] as? String == code)
        }
        let charges = try sim.charges()
        #expect(charges.count == 1)
        #expect(charges.first?["status"] as? String == "declined")
        #expect(charges.first?["decline_code"] as? String == code)
    }

    @Test func twinsOfOneKeyRacingGetOneChargeBetweenThem() throws {
        let sim = try SimulatorProcess.start(["--latency-ms", "50"])
        defer { sim.stop() }
        let ids = Mutexed<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let reply = try? sim.charge(key: "twin")
            ids.update { $0.append(reply?.json["id"] as? String ?? "no answer") }
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
        #expect(missing.json["code"] as? String == "missing_idempotency_key")
        let mismatch = try sim.post(
            "/charges", ["amount_cents": 100, "currency": "EUR", "token": "tok_visa", "idempotency_key": "a"],
            headers: [("idempotency-key", "b")])
        #expect(mismatch.json["code"] as? String == "idempotency_key_mismatch")
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
        #expect(declined.json["code"] as? String == "card_declined")
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
        let ledger = try sim.get("/_sim/ledger").json
        #expect((ledger["counters"] as? [String: Any])?["errors_injected"] as? Int == 1)
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
        #expect(charges.map { $0["key"] as? String } == ["slow", "impatient"])
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
        #expect(charges.allSatisfy { $0["status"] as? String == "approved" && $0["withheld"] as? Bool == true })
        // Asking again with the same key learns the charge at once, and charges nothing more.
        let again = try sim.charge(key: "lost")
        #expect(again.status == 200)
        #expect(again.json["id"] as? String == charges.first?["charge_id"] as? String)
        #expect(try sim.charges().count == 2)
    }

    @Test func aRefundHappensOncePerChargeAndARepeatedKeyGetsItBack() throws {
        let sim = try SimulatorProcess.start()
        defer { sim.stop() }
        let charge = try #require(try sim.charge(key: "p").json["id"] as? String)
        let refunded = try sim.refund(key: "refund:p", chargeID: charge)
        #expect(refunded.status == 201)
        let repeated = try sim.refund(key: "refund:p", chargeID: charge)
        #expect(repeated.status == 200)
        #expect(repeated.json["id"] as? String == refunded.json["id"] as? String)
        #expect(try sim.refund(key: "refund:other", chargeID: charge).json["code"] as? String == "already_refunded")
        #expect(try sim.refund(key: "refund:x", chargeID: "ch_unknown").status == 404)
        let declined = try sim.charge(key: "d", token: "tok_declined")
        #expect(declined.status == 402)
        let ledger = try sim.get("/_sim/ledger").json
        let charges = ledger["charges"] as? [[String: Any]] ?? []
        #expect(charges.first?["refunded"] as? Bool == true)
        #expect(charges.first?["refund_key"] as? String == "refund:p")
        #expect((ledger["refunds"] as? [Any])?.count == 1)
        let totals = ledger["totals"] as? [String: Any] ?? [:]
        #expect(totals["approved"] as? Int == 1)
        #expect(totals["refunded"] as? Int == 1)
        #expect(totals["net_cents"] as? Int == 0)
    }

    @Test func knobsStartFromTheFlagsAndChangeOnlyWhereAsked() throws {
        let sim = try SimulatorProcess.start(["--latency-ms", "5", "--error-rate", "0.25", "--seed", "7"])
        defer { sim.stop() }
        let initial = try sim.get("/_sim/knobs").json
        #expect(initial["latency_ms"] as? Int == 5)
        #expect(initial["error_rate"] as? Double == 0.25)
        #expect(initial["drop_hold_ms"] as? Int == 30_000)
        let changed = try sim.setKnobs(["decline_rate": 0.5])
        #expect(changed.json["decline_rate"] as? Double == 0.5)
        #expect(changed.json["latency_ms"] as? Int == 5)
        let invalid = try sim.setKnobs(["error_rate": 2])
        #expect(invalid.status == 400)
        #expect(try sim.get("/_sim/knobs").json["error_rate"] as? Double == 0.25)
        #expect(try sim.postRaw("/_sim/knobs", Array("not json".utf8), headers: []).status == 400)
    }

    @Test func theLedgerFileKeepsEveryAnsweredChargeAcrossAKill() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sim-ledger-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try SimulatorProcess.start(["--ledger-file", path])
        let id = try #require(try first.charge(key: "durable").json["id"] as? String)
        #expect(try first.refund(key: "refund:durable", chargeID: id).status == 201)
        _ = try first.charge(key: "no", token: "tok_declined")
        first.crash()

        let second = try SimulatorProcess.start(["--ledger-file", path])
        defer { second.stop() }
        let again = try second.charge(key: "durable")
        #expect(again.status == 200)
        #expect(again.json["id"] as? String == id)
        #expect(try second.refund(key: "refund:durable", chargeID: id).status == 200)
        let charges = try second.charges()
        #expect(charges.count == 2)
        #expect(charges.first?["refunded"] as? Bool == true)
        #expect(charges.last?["decline_code"] as? String == "card_declined")
    }
}
