import Foundation
import HTTPServer
import Platform
import Synchronization

/// The card processor behind `PAYMENT_GATEWAY_URL`, simulated for the fault
/// harness: it speaks exactly what `HTTPCardProcessor` sends and reads, and
/// injects the faults its knobs ask for.
///
///     POST /charges  Idempotency-Key: K  {"amount_cents","currency","token","idempotency_key":K}
///       → 201 {"id":"ch_…","status":"approved"} (200 on a repeat of K)
///       → 402 {"code":"card_declined" | "insufficient_funds"}
///     POST /refunds  Idempotency-Key: R  {"charge_id","amount_cents","currency","idempotency_key":R}
///       → 201 {"id":"re_…","charge_id":…} (200 on a repeat of R)
///     GET/POST /_sim/knobs, GET /_sim/ledger, GET /health
///
/// A key's outcome is decided and recorded before any delay, so every fault
/// (latency, a withheld answer) leaves the caller not knowing something the
/// ledger already knows — the situation Banyan must survive.
final class ProcessorSimulator: HTTPResponder {
    static let approvingTokens: Set<String> = ["tok_visa", "tok_mastercard", "tok_amex"]
    static let decliningTokens: [String: String] = [
        "tok_declined": "card_declined", "tok_insufficient_funds": "insufficient_funds",
    ]

    private struct Dice {
        var knobs: SimulatorKnobs
        var generator: SplitMix64
    }

    let ledger: ProcessorLedger
    private let dice: Mutex<Dice>
    /// Set on shutdown so held answers stop waiting.
    private let stopping = Atomic<Bool>(false)
    private let log: Log

    init(knobs: SimulatorKnobs, ledger: ProcessorLedger, log: Log = .shared) {
        self.ledger = ledger
        self.dice = Mutex(Dice(knobs: knobs, generator: SplitMix64(seed: knobs.seed)))
        self.log = log
    }

    var knobs: SimulatorKnobs { dice.withLock { $0.knobs } }

    /// Wakes every held answer (they answer 504 at once).
    func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        switch (request.method, request.path) {
        case ("POST", "/charges"): return charge(request)
        case ("POST", "/refunds"): return refund(request)
        case ("GET", "/_sim/knobs"): return Self.json(200, knobs)
        case ("POST", "/_sim/knobs"): return setKnobs(request)
        case ("GET", "/_sim/ledger"): return Self.json(200, ledger.snapshot())
        case ("GET", "/health"): return Self.json(200, ["status": "ok"])
        case (_, "/charges"), (_, "/refunds"), (_, "/_sim/knobs"), (_, "/_sim/ledger"), (_, "/health"):
            return Self.error(405, "method_not_allowed", "\(request.method) is not served on \(request.path)")
        default:
            return Self.error(404, "not_found", "no such endpoint")
        }
    }

    // MARK: - Charges

    private struct ChargeBody: Decodable {
        var amountCents: Int64
        var currency: String
        var token: String
        var idempotencyKey: String?

        enum CodingKeys: String, CodingKey {
            case currency, token
            case amountCents = "amount_cents"
            case idempotencyKey = "idempotency_key"
        }
    }

    private func charge(_ request: HTTPRequest) -> HTTPResponse {
        let body: ChargeBody
        do {
            body = try JSONDecoder().decode(ChargeBody.self, from: Data(request.body))
        } catch {
            return Self.error(400, "invalid_request", "body: {amount_cents, currency, token, idempotency_key}")
        }
        guard body.amountCents > 0 else { return Self.error(400, "invalid_request", "amount_cents must be positive") }
        let key: String
        switch Self.idempotencyKey(request, body: body.idempotencyKey) {
        case .success(let found): key = found
        case .failure(let refusal): return refusal.response
        }
        let knobs = self.knobs
        if roll(\.errorRate) {
            // Refused before anything is decided: the key stays new.
            ledger.countInjectedError()
            wait(milliseconds: knobs.latencyMS)
            log.info("charge refused (injected error)", ["key": .string(key)])
            return Self.error(503, "processor_unavailable", "try again with the same key")
        }
        let answer: ProcessorLedger.ChargeAnswer
        do {
            answer = try ledger.charge(
                .init(key: key, amountCents: body.amountCents, currency: body.currency, token: body.token),
                decide: decide)
        } catch {
            log.error("ledger write failed", ["error": .string("\(error)")])
            return Self.error(503, "processor_unavailable", "the ledger could not record the charge")
        }
        wait(milliseconds: knobs.latencyMS)
        switch answer {
        case .conflict(let known):
            return Self.error(
                409, "idempotency_key_reused",
                "key \(key) was used for \(known.amountCents) \(known.currency) with another token or amount")
        case .replay(let charge):
            log.info("charge replayed", ["key": .string(key), "status": .string(charge.status.rawValue)])
            return Self.answer(charge, status: 200)
        case .decided(let charge):
            log.info(
                "charge decided",
                [
                    "key": .string(key), "status": .string(charge.status.rawValue),
                    "amount_cents": .int(Int(charge.amountCents)), "withheld": .bool(charge.withheld),
                ])
            if charge.withheld {
                // The card is charged; the caller must not learn it from this request.
                wait(milliseconds: self.knobs.dropHoldMS)
                var response = Self.error(504, "gateway_timeout", "the answer was lost")
                response.headers.set("connection", "close")
                return response
            }
            return Self.answer(charge, status: 201)
        }
    }

    /// A new key's outcome, under the ledger's lock.
    private func decide(_ attempt: ProcessorLedger.ChargeAttempt) -> LedgerCharge {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var charge = LedgerCharge(
            key: attempt.key, chargeID: nil, amountCents: attempt.amountCents, currency: attempt.currency,
            token: attempt.token, status: .declined, declineCode: "card_declined", withheld: false, createdAtMS: now)
        if let code = Self.decliningTokens[attempt.token] {
            charge.declineCode = code
        } else if Self.approvingTokens.contains(attempt.token), !roll(\.declineRate) {
            charge.status = .approved
            charge.declineCode = nil
            charge.chargeID = Self.identifier("ch_")
            charge.withheld = roll(\.dropAfterChargeRate)
        }
        return charge
    }

    private static func answer(_ charge: LedgerCharge, status: Int) -> HTTPResponse {
        switch charge.status {
        case .approved:
            return json(status, ["id": charge.chargeID ?? "", "status": "approved"])
        case .declined:
            let code = charge.declineCode ?? "card_declined"
            return json(402, ["code": code, "message": "the card was declined (\(code))"])
        }
    }

    // MARK: - Refunds

    private struct RefundBody: Decodable {
        var chargeID: String
        var amountCents: Int64
        var currency: String?
        var idempotencyKey: String?

        enum CodingKeys: String, CodingKey {
            case currency
            case chargeID = "charge_id"
            case amountCents = "amount_cents"
            case idempotencyKey = "idempotency_key"
        }
    }

    private func refund(_ request: HTTPRequest) -> HTTPResponse {
        let body: RefundBody
        do {
            body = try JSONDecoder().decode(RefundBody.self, from: Data(request.body))
        } catch {
            return Self.error(400, "invalid_request", "body: {charge_id, amount_cents, currency, idempotency_key}")
        }
        let key: String
        switch Self.idempotencyKey(request, body: body.idempotencyKey) {
        case .success(let found): key = found
        case .failure(let refusal): return refusal.response
        }
        let knobs = self.knobs
        if roll(\.errorRate) {
            ledger.countInjectedError()
            wait(milliseconds: knobs.latencyMS)
            return Self.error(503, "processor_unavailable", "try again with the same key")
        }
        let answer: ProcessorLedger.RefundAnswer
        do {
            answer = try ledger.refund(key: key, chargeID: body.chargeID, amountCents: body.amountCents) {
                Self.identifier("re_")
            }
        } catch {
            log.error("ledger write failed", ["error": .string("\(error)")])
            return Self.error(503, "processor_unavailable", "the ledger could not record the refund")
        }
        wait(milliseconds: knobs.latencyMS)
        log.info("refund", ["key": .string(key), "charge_id": .string(body.chargeID), "answer": .string("\(answer)")])
        switch answer {
        case .refunded(let refund):
            return Self.json(201, ["id": refund.refundID, "charge_id": refund.chargeID, "status": "refunded"])
        case .replay(let refund):
            return Self.json(200, ["id": refund.refundID, "charge_id": refund.chargeID, "status": "refunded"])
        case .chargeNotFound:
            return Self.error(404, "charge_not_found", "no charge \(body.chargeID)")
        case .notRefundable:
            return Self.error(409, "charge_not_refundable", "a declined charge moved no money")
        case .alreadyRefunded:
            return Self.error(409, "already_refunded", "the charge was refunded under another key")
        case .amountTooLarge:
            return Self.error(400, "invalid_amount", "a refund is 1 cent up to the amount charged")
        case .keyConflict:
            return Self.error(409, "idempotency_key_reused", "key \(key) refunded another charge or amount")
        }
    }

    // MARK: - Knobs

    private func setKnobs(_ request: HTTPRequest) -> HTTPResponse {
        let update: KnobsUpdate
        do {
            update = try JSONDecoder().decode(KnobsUpdate.self, from: Data(request.body))
        } catch {
            return Self.error(400, "invalid_request", "body: a JSON object of knobs (see GET /_sim/knobs)")
        }
        let result = dice.withLock { dice -> Result<SimulatorKnobs, Refusal> in
            let knobs = update.applied(to: dice.knobs)
            if let problem = knobs.problem { return .failure(Refusal(status: 400, code: "invalid_knob", message: problem)) }
            dice.knobs = knobs
            if let seed = update.seed { dice.generator = SplitMix64(seed: seed) }
            return .success(knobs)
        }
        switch result {
        case .success(let knobs):
            log.info("knobs", ["knobs": .string(String(decoding: (try? JSONEncoder().encode(knobs)) ?? Data(), as: UTF8.self))])
            return Self.json(200, knobs)
        case .failure(let refusal):
            return refusal.response
        }
    }

    // MARK: - Helpers

    private struct Refusal: Error {
        var status: Int
        var code: String
        var message: String
        var response: HTTPResponse { ProcessorSimulator.error(status, code, message) }
    }

    /// The key from the header, the body, or both when they agree.
    private static func idempotencyKey(_ request: HTTPRequest, body: String?) -> Result<String, Refusal> {
        let header = request.headers["idempotency-key"]
        switch (header, body) {
        case (nil, nil):
            return .failure(Refusal(status: 400, code: "missing_idempotency_key", message: "Idempotency-Key is required"))
        case (let header?, let body?) where header != body:
            return .failure(
                Refusal(status: 400, code: "idempotency_key_mismatch", message: "header and body name different keys"))
        case (let header?, _) where !header.isEmpty && header.utf8.count <= 255:
            return .success(header)
        case (nil, let body?) where !body.isEmpty && body.utf8.count <= 255:
            return .success(body)
        default:
            return .failure(Refusal(status: 400, code: "invalid_idempotency_key", message: "1 to 255 bytes"))
        }
    }

    private func roll(_ rate: KeyPath<SimulatorKnobs, Double>) -> Bool {
        dice.withLock { dice in dice.generator.chance(dice.knobs[keyPath: rate]) }
    }

    /// Sleeps in short slices so a shutdown is not held up by a long hold.
    private func wait(milliseconds: Int) {
        guard milliseconds > 0 else { return }
        let deadline = Date(timeIntervalSinceNow: Double(milliseconds) / 1000)
        while Date() < deadline {
            if stopping.load(ordering: .relaxed) { return }
            Thread.sleep(forTimeInterval: min(0.05, max(0, deadline.timeIntervalSinceNow)))
        }
    }

    /// `ch_`/`re_` and 24 hex digits from the system generator: identifiers
    /// must not repeat after a restart with the same seed.
    private static func identifier(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + (0..<3).map { _ in
            let hex = String(generator.next() as UInt32, radix: 16)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }.joined()
    }

    private static func json(_ status: Int, _ value: some Encodable) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return .json(status, Array((try? encoder.encode(value)) ?? Data("{}".utf8)))
    }

    fileprivate static func error(_ status: Int, _ code: String, _ message: String) -> HTTPResponse {
        json(status, ["code": code, "message": message])
    }
}
