import Contract
import PaymentsAPI

/// What any provider of `PaymentsFacade` must do, written once: the
/// Payments module in this process, `payments-service` started by the
/// tests, and a deployed service checked by `banyan contract payments`.
///
/// Every case works in tenants of its own, so the suite can run against a
/// service that already holds data, and cases can run in parallel.
///
/// Card cases use the processor's test tokens, which the built-in
/// simulator (and any sandbox a payments-service under test is pointed at)
/// must answer like this: `tok_visa` approved, `tok_declined` declined
/// `card_declined`, `tok_insufficient_funds` declined `insufficient_funds`.
public enum PaymentsContract {
    public typealias Case = ContractCase<any PaymentsFacade>

    /// Every case, in the order `banyan contract payments` runs them.
    public static let cases: [Case] = charges + declines + refunds + lookups + isolation + validation

    static func cash(_ env: ContractEnvironment, _ label: String, cents: Int64 = 1250, orderID: String? = nil)
        -> ChargeRequest
    {
        ChargeRequest(idempotencyKey: env.key(label), amountCents: cents, currency: "USD", method: .cash, orderID: orderID)
    }

    static func card(
        _ env: ContractEnvironment, _ label: String, token: String = "tok_visa", cents: Int64 = 2490,
        orderID: String? = nil
    ) -> ChargeRequest {
        ChargeRequest(
            idempotencyKey: env.key(label), amountCents: cents, currency: "EUR", method: .card, token: token,
            orderID: orderID)
    }
}
