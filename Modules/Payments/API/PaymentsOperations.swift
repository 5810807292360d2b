import Facade
import Platform

/// The Payments facade as operations: declared once, served in-process by
/// `LocalTransport` and over HTTP by payments-service, called through
/// `PaymentsClient` either way.
public enum PaymentsOperations {
    public static let charge = Operation<ChargeRequest, Payment>("payments.charge")
    public static let refund = Operation<RefundRequest, Payment>("payments.refund")
    public static let payment = Operation<PaymentReference, Payment>("payments.payment", readOnly: true)
    public static let paymentsOfOrder = Operation<OrderReference, [Payment]>("payments.payments_of_order", readOnly: true)
    public static let paymentByKey = Operation<IdempotencyKeyReference, Payment?>("payments.payment_by_key", readOnly: true)

    /// Every operation above: the table Payments serves must bind exactly these.
    public static let all: [any DeclaredOperation] = [charge, refund, payment, paymentsOfOrder, paymentByKey]

    /// Reads a problem received over the wire back into `PaymentsError`.
    public static let decodeError: @Sendable (Problem) -> (any Error)? = { PaymentsError(problem: $0) }

    /// Payments as any process reaches it: these operations, these errors.
    public static let interface = ModuleInterface(name: "payments", operations: all, decodeError: decodeError)
}

public struct PaymentReference: Codable, Sendable, Equatable {
    public var id: String
    public init(id: String) { self.id = id }
}

public struct OrderReference: Codable, Sendable, Equatable {
    public var orderID: String
    public init(orderID: String) { self.orderID = orderID }
    enum CodingKeys: String, CodingKey { case orderID = "order_id" }
}

public struct IdempotencyKeyReference: Codable, Sendable, Equatable {
    public var idempotencyKey: String
    public init(idempotencyKey: String) { self.idempotencyKey = idempotencyKey }
    enum CodingKeys: String, CodingKey { case idempotencyKey = "idempotency_key" }
}
