import BanyanTestSupport
import Foundation
import Payments
import PaymentsAPI
import Platform
import Postgres
import Synchronization

/// A card processor that counts and records its calls, around the simulator.
///
/// `beforeAuthorize` runs inside every `authorize` (tests use it to hold a
/// charge in flight); `unavailableAuthorizations` makes that many first
/// calls throw `processorUnavailable`, as a gateway that did not answer.
final class PaymentsCountingProcessor: CardProcessor {
    let authorizations = Atomic<Int>(0)
    let refunds = Atomic<Int>(0)
    let authorizationKeys = Mutex<[String]>([])
    let refundKeys = Mutex<[String]>([])
    private let remainingFailures: Atomic<Int>
    private let beforeAuthorize: @Sendable () -> Void
    private let simulator = SimulatedCardProcessor()

    init(unavailableAuthorizations: Int = 0, beforeAuthorize: @escaping @Sendable () -> Void = {}) {
        remainingFailures = Atomic(unavailableAuthorizations)
        self.beforeAuthorize = beforeAuthorize
    }

    func authorize(amountCents: Int64, currency: String, token: String, idempotencyKey: String) throws
        -> CardAuthorization
    {
        authorizations.add(1, ordering: .sequentiallyConsistent)
        authorizationKeys.withLock { $0.append(idempotencyKey) }
        beforeAuthorize()
        if remainingFailures.subtract(1, ordering: .sequentiallyConsistent).newValue >= 0 {
            throw PaymentsError.processorUnavailable
        }
        return simulator.authorize(amountCents: amountCents, currency: currency, token: token, idempotencyKey: idempotencyKey)
    }

    func refund(reference: String, amountCents: Int64, currency: String, idempotencyKey: String) throws {
        refunds.add(1, ordering: .sequentiallyConsistent)
        refundKeys.withLock { $0.append(idempotencyKey) }
    }

    var authorizationCount: Int { authorizations.load(ordering: .sequentiallyConsistent) }
    var refundCount: Int { refunds.load(ordering: .sequentiallyConsistent) }
}

/// One fresh database with the payments schema, a service over it, and the
/// direct SQL the tests need to look behind the facade.
///
/// A suite owns one per test (made in its `init`, shut down in its
/// `deinit`); a test that needs another processor or pool scopes its own
/// with `PaymentsFixture.with`.
struct PaymentsFixture {
    let database: Database
    let processor: PaymentsCountingProcessor
    let service: PaymentsService

    init(processor: PaymentsCountingProcessor = PaymentsCountingProcessor(), poolSize: Int = 4) throws {
        database = try TestDatabase.open(modules: [PaymentsSchema.module], prefix: "payments", poolSize: poolSize)
        self.processor = processor
        service = PaymentsService(pool: database.pool(for: "payments"), processor: processor)
    }

    /// Runs `body` with a fixture of its own, shut down when it returns.
    static func with<Value>(
        processor: PaymentsCountingProcessor = PaymentsCountingProcessor(), poolSize: Int = 4,
        _ body: (PaymentsFixture) throws -> Value
    ) throws -> Value {
        let fixture = try PaymentsFixture(processor: processor, poolSize: poolSize)
        defer { fixture.shutdown() }
        return try body(fixture)
    }

    var pool: PostgresPool { database.pool(for: "payments") }

    static func context(_ tenant: String = "t-pay-a", role: Role = .admin) -> CallContext {
        CallContext(tenant: TenantID(tenant)!, userID: "u1", role: role, requestID: "test")
    }

    /// Outbox rows of `type` for `tenant`, as their `payment_id`s.
    func outboxPaymentIDs(_ type: String, tenant: String = "t-pay-a") throws -> [String] {
        try pool.transaction(tenant: tenant) { db in
            try db.query(
                """
                SELECT payload->>'payment_id' AS payment_id FROM payments.outbox
                WHERE tenant_id = \(tenant) AND event_type = \(type) ORDER BY id
                """
            ).map { try $0.string("payment_id") }
        }
    }

    func paymentRowCount(tenant: String = "t-pay-a") throws -> Int {
        try pool.transaction(tenant: tenant) { db in
            try db.query("SELECT count(*) AS n FROM payments.payments WHERE tenant_id = \(tenant)").first!.int("n")
        }
    }

    /// Writes a `pending` card row as a charge killed right after its first
    /// transaction would leave it; returns its id.
    func insertPendingCardCharge(key: String, amountCents: Int64, tenant: String = "t-pay-a") throws -> String {
        try pool.transaction(tenant: tenant) { db in
            try db.query(
                """
                INSERT INTO payments.payments (tenant_id, idempotency_key, amount_cents, currency, method, status)
                VALUES (\(tenant), \(key), \(amountCents), 'EUR', 'card', 'pending')
                RETURNING id::text AS id
                """
            ).first!.string("id")
        }
    }

    func shutdown() { database.shutdown() }
}
