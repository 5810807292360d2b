import Foundation
import HTTPServer
import Payments
import PaymentsAPI
import Synchronization
import Testing

/// The card processor adapters: the simulator's table, and the HTTP adapter
/// against a fake card gateway served by Banyan's own HTTP server.
@Suite struct PaymentsCardProcessorTests {
    @Test(arguments: [
        ("tok_visa", true, ""), ("tok_mastercard", true, ""), ("tok_amex", true, ""),
        ("tok_declined", false, "card_declined"), ("tok_insufficient_funds", false, "insufficient_funds"),
        ("tok_whatever", false, "card_declined"), ("", false, "card_declined"),
    ])
    func simulatorAnswersByToken(token: String, approved: Bool, reason: String) {
        let simulator = SimulatedCardProcessor()
        let answer = simulator.authorize(amountCents: 100, currency: "EUR", token: token, idempotencyKey: "key-1")
        if approved {
            guard case .approved(let reference) = answer else {
                Issue.record("expected approval, got \(answer)")
                return
            }
            #expect(reference.hasPrefix("sim_") && reference.count == 20)
            // Same key, same reference (idempotent); another key, another reference.
            #expect(simulator.authorize(amountCents: 100, currency: "EUR", token: token, idempotencyKey: "key-1") == answer)
            #expect(simulator.authorize(amountCents: 100, currency: "EUR", token: token, idempotencyKey: "key-2") != answer)
        } else {
            #expect(answer == .declined(reason: reason))
        }
    }

    /// A card gateway speaking the `HTTPCardProcessor` contract; it records
    /// the idempotency headers and bodies it saw.
    final class FakeCardGateway: HTTPResponder {
        let seen = Mutex<[(path: String, key: String?, body: [String: String])]>([])

        func respond(to request: HTTPRequest) -> HTTPResponse {
            let json = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
            let fields = json.mapValues { "\($0)" }
            seen.withLock { $0.append((request.path, request.headers["idempotency-key"], fields)) }
            switch (request.method, request.path, fields["token"]) {
            case ("POST", "/v1/charges", "tok_ok"):
                return .json(201, Array(#"{"id":"ch_\#(fields["idempotency_key"] ?? "")"}"#.utf8))
            case ("POST", "/v1/charges", "tok_no_funds"):
                return .json(402, Array(#"{"code":"insufficient_funds"}"#.utf8))
            case ("POST", "/v1/charges", "tok_garbled"):
                return .json(200, Array("not json".utf8))
            case ("POST", "/v1/charges", _):
                return .json(500, Array(#"{"error":"boom"}"#.utf8))
            case ("POST", "/v1/refunds", _) where fields["charge_id"] == "ch_good":
                return .json(200, Array(#"{"id":"re_1"}"#.utf8))
            default:
                return .json(404, Array("{}".utf8))
            }
        }
    }

    func withFakeGateway(_ body: (String, FakeCardGateway) throws -> Void) throws {
        let fake = FakeCardGateway()
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.shutdownGracePeriod = 1
        let server = HTTPServer(configuration: configuration, responder: fake)
        try server.start()
        defer { server.shutdown() }
        // A trailing slash must not double up in the paths.
        try body("http://127.0.0.1:\(server.port)/v1/", fake)
    }

    @Test func httpProcessorApprovesWithTheGatewaysReference() throws {
        try withFakeGateway { base, fake in
            let processor = HTTPCardProcessor(baseURL: base)
            let answer = try processor.authorize(amountCents: 1250, currency: "EUR", token: "tok_ok", idempotencyKey: "pay-1")
            #expect(answer == .approved(reference: "ch_pay-1"))
            let request = try #require(fake.seen.withLock { $0.first })
            #expect(request.path == "/v1/charges")
            #expect(request.key == "pay-1")
            #expect(request.body["amount_cents"] == "1250")
            #expect(request.body["currency"] == "EUR")
            #expect(request.body["token"] == "tok_ok")
            #expect(request.body["idempotency_key"] == "pay-1")
        }
    }

    @Test func httpProcessorReadsA402AsADecline() throws {
        try withFakeGateway { base, _ in
            let answer = try HTTPCardProcessor(baseURL: base).authorize(
                amountCents: 100, currency: "EUR", token: "tok_no_funds", idempotencyKey: "pay-2")
            #expect(answer == .declined(reason: "insufficient_funds"))
        }
    }

    @Test(arguments: ["tok_server_error", "tok_garbled"])
    func httpProcessorReadsAnythingElseAsUnavailable(token: String) throws {
        try withFakeGateway { base, _ in
            #expect(throws: PaymentsError.processorUnavailable) {
                try HTTPCardProcessor(baseURL: base).authorize(
                    amountCents: 100, currency: "EUR", token: token, idempotencyKey: "pay-3")
            }
        }
    }

    @Test func httpProcessorRefundsWithItsOwnKey() throws {
        try withFakeGateway { base, fake in
            let processor = HTTPCardProcessor(baseURL: base)
            try processor.refund(reference: "ch_good", amountCents: 500, currency: "EUR", idempotencyKey: "refund:p1")
            let request = try #require(fake.seen.withLock { $0.last })
            #expect(request.path == "/v1/refunds")
            #expect(request.key == "refund:p1")
            #expect(request.body["charge_id"] == "ch_good")
            #expect(request.body["amount_cents"] == "500")
            #expect(throws: PaymentsError.processorUnavailable) {
                try processor.refund(reference: "ch_unknown", amountCents: 500, currency: "EUR", idempotencyKey: "r2")
            }
        }
    }

    @Test func httpProcessorWithTheGatewayDownIsUnavailableAtOnce() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.shutdownGracePeriod = 1
        let server = HTTPServer(configuration: configuration, responder: FakeCardGateway())
        try server.start()
        let base = "http://127.0.0.1:\(server.port)"
        server.shutdown()  // the port is now closed: connections are refused

        let processor = HTTPCardProcessor(baseURL: base)
        let started = ContinuousClock.now
        #expect(throws: PaymentsError.processorUnavailable) {
            try processor.authorize(amountCents: 100, currency: "EUR", token: "tok_ok", idempotencyKey: "pay-4")
        }
        #expect(ContinuousClock.now - started < .milliseconds(900))
    }

    @Test func serviceOverTheHTTPProcessorKeepsAPendingPaymentWhenTheGatewayFails() throws {
        try withFakeGateway { base, fake in
            try PaymentsFixture.with { fixture in
                let service = PaymentsService(pool: fixture.pool, processor: HTTPCardProcessor(baseURL: base))
                let context = PaymentsFixture.context()
                #expect(throws: PaymentsError.processorUnavailable) {
                    try service.charge(
                        context,
                        ChargeRequest(
                            idempotencyKey: "k-500", amountCents: 100, currency: "EUR", method: .card,
                            token: "tok_server_error"))
                }
                #expect(try service.payment(context, idempotencyKey: "k-500")?.status == .pending)
                let payment = try service.charge(
                    context, ChargeRequest(idempotencyKey: "k-ok", amountCents: 100, currency: "EUR", method: .card,
                                           token: "tok_ok"))
                #expect(payment.processorReference == "ch_" + payment.id)
                #expect(fake.seen.withLock { $0.last?.key } == payment.id)
            }
        }
    }
}
