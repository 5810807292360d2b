import Facade
import PaymentsAPI
import Platform

extension PaymentsService {
    /// This service's handlers bound to the Payments operations: what
    /// `LocalTransport` calls in-process and payments-service serves over HTTP.
    public func operations() -> OperationTable {
        let table = OperationTable(module: "payments", decodeError: PaymentsOperations.decodeError)
        let samples = PaymentsSamples.self
        table.bind(PaymentsOperations.charge, sample: (samples.charge, samples.payment)) { [self] in
            try charge($0, $1)
        }
        table.bind(PaymentsOperations.refund, sample: (samples.refund, samples.payment)) { [self] in
            try refund($0, $1)
        }
        table.bind(PaymentsOperations.payment, sample: (PaymentReference(id: samples.payment.id), samples.payment)) {
            [self] in try payment($0, id: $1.id)
        }
        table.bind(
            PaymentsOperations.paymentsOfOrder,
            sample: (OrderReference(orderID: samples.payment.orderID!), [samples.payment])
        ) { [self] in try payments($0, orderID: $1.orderID) }
        table.bind(
            PaymentsOperations.paymentByKey,
            sample: (IdempotencyKeyReference(idempotencyKey: samples.charge.idempotencyKey), samples.payment)
        ) { [self] in try payment($0, idempotencyKey: $1.idempotencyKey) }
        return table
    }
}
