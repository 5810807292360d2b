import Foundation
import Testing

/// The checkout saga charges under `order:<order id>`, and reconciliation
/// refunds a captured `order:` payment no completed order holds: a client
/// may never charge in that namespace, in any spelling.
@Suite final class KeyNamespaceTests {
    let rig: SagaRig
    init() throws { rig = try SagaRig(path: .inProcess) }
    deinit { rig.stop() }

    @Test(arguments: ["order:1", "ORDER:abc", "Order:3f2a9c4e-58b1-4d7e-9a60-0c1d2e3f4a5b", "oRdEr:", "order:till-7"])
    func aReservedKeyIsRefusedAndNothingIsCharged(_ key: String) throws {
        let body: [String: Any] = ["amount_cents": 1250, "currency": "USD", "method": "card", "token": "tok_visa"]
        let refused = try rig.app.call(
            "POST", "/api/v1/payments/process", tenant: rig.tenant, token: rig.token, json: body,
            headers: [("idempotency-key", key)])
        #expect(refused.status == 422)
        #expect(refused.code == "validation_failed")
        #expect((refused.json["detail"] as? String)?.contains("Idempotency-Key") == true, "\(refused.json)")
        #expect(rig.processor.totalCalls == 0)
        #expect(try paymentRows() == 0)

        // The same charge under a key of the client's own goes through: the refusal is the key's.
        let accepted = try rig.app.call(
            "POST", "/api/v1/payments/process", tenant: rig.tenant, token: rig.token, json: body,
            headers: [("idempotency-key", "till-\(key)")])
        #expect(accepted.status == 201)
        #expect(rig.processor.totalCalls == 1)
        #expect(try paymentRows() == 1)
    }

    private func paymentRows() throws -> Int {
        try rig.app.withSQL { db in
            try db.query("SELECT count(*) AS n FROM payments.payments WHERE tenant_id = \(rig.tenant)").first!.int("n")
        }
    }
}
