/// One rule every provider of a module's facade must keep, written once and
/// run against each provider: the module in this process, the service
/// executable started by the tests, a deployed service in its own CI.
///
///     ContractCase<any PaymentsFacade>("refund by a cashier is refused") { payments, env in
///         let payment = try payments.charge(
///             env.cashier, ChargeRequest(idempotencyKey: env.key("cash"), amountCents: 500, currency: "USD", method: .cash))
///         try Expect.error(AccessDenied(needed: .manager), "refund as cashier") {
///             try payments.refund(env.cashier, RefundRequest(paymentID: payment.id))
///         }
///     }
///
/// A case gets a fresh `ContractEnvironment` (its own tenants), so cases
/// never see each other's data and may run in parallel. It fails by
/// throwing: a `ContractFailure` for a broken rule, anything else for a
/// provider that could not be asked.
public struct ContractCase<Provider>: Sendable {
    /// Unique within its suite; a sentence saying what the provider must do.
    public let name: String
    public let run: @Sendable (Provider, ContractEnvironment) throws -> Void

    public init(_ name: String, _ run: @escaping @Sendable (Provider, ContractEnvironment) throws -> Void) {
        self.name = name
        self.run = run
    }
}
