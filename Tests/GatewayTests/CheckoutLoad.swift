import BanyanTestSupport
import Foundation
import OrdersAPI
import Testing

/// Checkouts from real threads until told to stop, cash and card mixed, each
/// with its own Idempotency-Key: the traffic a flip must not disturb.
final class CheckoutLoad: @unchecked Sendable {
    // @unchecked: `stopping` is an atomic-by-lock flag and `stored` is only
    // touched under `lock`; the rest is immutable.
    struct Result {
        var status: Int
        var code: String?
        var orderID: String?
        var route: String?
        var quantity: Int
        /// The gateway's `x-request-id`, which the services it called log the call under.
        var requestID: String? = nil
    }

    private let app: TestGateway
    private let tenant: String
    private let token: String
    private let item: String
    private let lock = NSLock()
    private var stored: [Result] = []
    private var stopping = false
    private let group = DispatchGroup()

    init(app: TestGateway, tenant: String, token: String, item: String) {
        self.app = app
        self.tenant = tenant
        self.token = token
        self.item = item
    }

    func start(threads: Int) {
        for worker in 0..<threads {
            group.enter()
            // Real threads: the cooperative pool has as many threads as cores, and these block on sockets.
            let thread = Thread { [self] in
                defer { group.leave() }
                var count = 0
                while !isStopping {
                    count += 1
                    let quantity = 1 + count % 2
                    let card = (worker + count) % 2 == 0
                    let result: Result
                    do {
                        let reply = try app.placeOrder(
                            tenant: tenant, token: token, items: [(item, quantity)], method: card ? "card" : "cash",
                            cardToken: card ? "tok_visa" : nil, idempotencyKey: "load-\(worker)-\(count)-\(UUID().uuidString)")
                        result = Result(
                            status: reply.status, code: reply.code, orderID: try? reply.decoded(Order.self).id,
                            route: reply.header("x-banyan-route"), quantity: quantity,
                            requestID: reply.header("x-request-id"))
                    } catch {
                        result = Result(status: 0, code: "\(error)", orderID: nil, route: nil, quantity: quantity)
                    }
                    lock.withLock { stored.append(result) }
                }
            }
            thread.start()
        }
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    /// Asks the threads to stop after their current checkout; true when all did within `seconds`.
    func stop(within seconds: Double) -> Bool {
        lock.withLock { stopping = true }
        return group.wait(timeout: .now() + seconds) == .success
    }

    var results: [Result] { lock.withLock { stored } }
}

extension TestGateway {
    /// Each order has exactly one payment, captured, of the order's method
    /// and total: through the API as a client sees it, then in the database.
    func expectPaidOnce(_ orders: [String], tenant: String, token: String) throws {
        let unpaid = ReplyLog()
        DispatchQueue.concurrentPerform(iterations: 4) { slice in
            for order in orders.enumerated().filter({ $0.offset % 4 == slice }).map(\.element) {
                let found = (try? payments(tenant: tenant, token: token, order: order)) ?? []
                let captured = found.filter { $0.status == .captured }
                if found.count != 1 || captured.count != 1 { unpaid.append((found.count, order, nil)) }
            }
        }
        #expect(
            unpaid.values.isEmpty,
            "\(tenant)'s orders not paid exactly once: \(unpaid.values.prefix(10).map { "\($0.1 ?? "-"): \($0.0)" })")
        let mismatched = try withSQL { db in
            try db.query(
                """
                SELECT count(*) AS n FROM orders.orders o
                WHERE o.tenant_id = \(tenant) AND (o.status <> 'completed' OR 1 <> (
                    SELECT count(*) FROM payments.payments p
                    WHERE p.tenant_id = o.tenant_id AND p.order_id = o.id::text AND p.status = 'captured'
                        AND p.method = o.payment_method AND p.amount_cents = o.total_cents AND p.id::text = o.payment_id))
                """
            ).first!.int("n")
        }
        #expect(mismatched == 0, "\(tenant)'s orders without exactly one payment of their own method and total")
    }
}
