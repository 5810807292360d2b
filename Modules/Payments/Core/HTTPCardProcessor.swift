import Foundation
import HTTPClient
import PaymentsAPI
import Platform

/// A card processor reached over HTTP (`PAYMENT_GATEWAY_URL`).
///
/// The wire contract:
///
///     POST {baseURL}/charges   Idempotency-Key: <key>
///     {"amount_cents":1250,"currency":"EUR","token":"tok_visa","idempotency_key":"<key>"}
///     → 200/201 {"id":"ch_…"}   approved, reference = id
///     → 402 {"code":"card_declined"}   declined
///
///     POST {baseURL}/refunds   Idempotency-Key: <key>
///     {"charge_id":"ch_…","amount_cents":1250,"currency":"EUR","idempotency_key":"<key>"}
///     → 200/201   refunded
///
/// Any other status, an unreadable success body or a transport failure is
/// `PaymentsError.processorUnavailable`: Banyan cannot tell what happened,
/// so the payment stays `pending` and a retry with the same key asks again
/// (the processor answers a repeated key with its first answer).
///
/// A call waits at most `timeout` seconds (`BANYAN_PROCESSOR_TIMEOUT_MS`,
/// default 5000), and never past the caller's deadline.
package final class HTTPCardProcessor: CardProcessor {
    private let baseURL: String
    private let client: HTTPClient
    private let timeout: Double

    package init(
        baseURL: String, client: HTTPClient = .shared,
        timeout: Double = 5
    ) {
        var base = baseURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.client = client
        self.timeout = max(timeout, 0.001)
    }

    package func authorize(amountCents: Int64, currency: String, token: String, idempotencyKey: String) throws
        -> CardAuthorization
    {
        try authorize(amountCents: amountCents, currency: currency, token: token, idempotencyKey: idempotencyKey, deadline: nil)
    }

    package func authorize(
        amountCents: Int64, currency: String, token: String, idempotencyKey: String, deadline: Date?
    ) throws -> CardAuthorization {
        let response = try post(
            "/charges",
            ChargeBody(amountCents: amountCents, currency: currency, token: token, idempotencyKey: idempotencyKey),
            idempotencyKey: idempotencyKey, deadline: deadline)
        switch response.status {
        case 200, 201:
            guard let charge = try? JSONDecoder().decode(ChargeReply.self, from: Data(response.body)),
                !charge.id.isEmpty
            else { throw PaymentsError.processorUnavailable }
            return .approved(reference: charge.id)
        case 402:
            let reason = (try? JSONDecoder().decode(DeclineReply.self, from: Data(response.body)))?.code
            return .declined(reason: reason ?? "card_declined")
        default:
            throw PaymentsError.processorUnavailable
        }
    }

    package func refund(reference: String, amountCents: Int64, currency: String, idempotencyKey: String) throws {
        let response = try post(
            "/refunds",
            RefundBody(chargeID: reference, amountCents: amountCents, currency: currency, idempotencyKey: idempotencyKey),
            idempotencyKey: idempotencyKey, deadline: nil)
        guard response.status == 200 || response.status == 201 else { throw PaymentsError.processorUnavailable }
    }

    private func post(
        _ path: String, _ body: some Encodable, idempotencyKey: String, deadline: Date?
    ) throws -> HTTPClientResponse {
        var total = timeout
        if let deadline {
            total = min(total, deadline.timeIntervalSinceNow)
            // Nothing sent: the payment stays pending and a retry asks.
            guard total > 0 else { throw PaymentsError.processorUnavailable }
        }
        let json: [UInt8]
        do {
            json = Array(try JSONEncoder().encode(body))
        } catch {
            throw PaymentsError.processorUnavailable
        }
        do {
            return try client.send(
                method: "POST", url: baseURL + path,
                headers: [
                    ("content-type", "application/json"), ("accept", "application/json"),
                    ("idempotency-key", idempotencyKey),
                ],
                body: json, connectTimeout: min(1, total), totalTimeout: total)
        } catch {
            // Refused, timed out, reset: nothing tells us whether the card was charged.
            throw PaymentsError.processorUnavailable
        }
    }
}

private struct ChargeBody: Encodable {
    var amountCents: Int64
    var currency: String
    var token: String
    var idempotencyKey: String

    enum CodingKeys: String, CodingKey {
        case currency, token
        case amountCents = "amount_cents"
        case idempotencyKey = "idempotency_key"
    }
}

private struct RefundBody: Encodable {
    var chargeID: String
    var amountCents: Int64
    var currency: String
    var idempotencyKey: String

    enum CodingKeys: String, CodingKey {
        case currency
        case chargeID = "charge_id"
        case amountCents = "amount_cents"
        case idempotencyKey = "idempotency_key"
    }
}

private struct ChargeReply: Decodable {
    var id: String
}

private struct DeclineReply: Decodable {
    var code: String
}
