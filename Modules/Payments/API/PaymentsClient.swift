import Facade
import Platform

/// `PaymentsFacade` over a `Transport`: the same calls whether Payments runs
/// in this process or in payments-service. Callers never know which.
public struct PaymentsClient: PaymentsFacade {
    private let transport: any Transport

    public init(transport: any Transport) { self.transport = transport }

    public func charge(_ context: CallContext, _ request: ChargeRequest) throws -> Payment {
        try transport.call(PaymentsOperations.charge, context, request)
    }

    public func refund(_ context: CallContext, _ request: RefundRequest) throws -> Payment {
        try transport.call(PaymentsOperations.refund, context, request)
    }

    public func payment(_ context: CallContext, id: String) throws -> Payment {
        try transport.call(PaymentsOperations.payment, context, PaymentReference(id: id))
    }

    public func payments(_ context: CallContext, orderID: String) throws -> [Payment] {
        try transport.call(PaymentsOperations.paymentsOfOrder, context, OrderReference(orderID: orderID))
    }

    public func payment(_ context: CallContext, idempotencyKey: String) throws -> Payment? {
        try transport.call(PaymentsOperations.paymentByKey, context, IdempotencyKeyReference(idempotencyKey: idempotencyKey))
    }
}
