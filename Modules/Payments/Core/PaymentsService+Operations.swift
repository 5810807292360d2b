import Facade
import PaymentsAPI
import Platform

extension PaymentsService {
    /// This service's handlers bound to the Payments operations: what
    /// `LocalTransport` calls in-process and payments-service serves over HTTP.
    package func operations() -> OperationTable {
        OperationTable(module: "payments", decodeError: PaymentsOperations.decodeError)
            .bind(PaymentsOperations.charge) { [self] in try charge($0, $1) }
            .bind(PaymentsOperations.refund) { [self] in try refund($0, $1) }
            .bind(PaymentsOperations.payment) { [self] in try payment($0, id: $1.id) }
            .bind(PaymentsOperations.paymentsOfOrder) { [self] in try payments($0, orderID: $1.orderID) }
            .bind(PaymentsOperations.paymentByKey) { [self] in try payment($0, idempotencyKey: $1.idempotencyKey) }
    }
}
