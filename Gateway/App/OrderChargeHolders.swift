import OrdersAPI
import PaymentsAPI
import Platform

/// Answers reconciliation's question — does a completed order still hold
/// this checkout payment? — from the Orders facade, so Payments never
/// imports Orders.
struct OrderChargeHolders: ChargeHolders {
    let orders: any OrdersFacade

    func holder(of payment: Payment, tenant: TenantID) throws -> ChargeHolder {
        guard let orderID = payment.orderID else { return .none }
        let context = CallContext.system(tenant: tenant, component: "reconciliation", requestID: "reconcile-\(payment.id)")
        do {
            switch try orders.order(context, id: orderID).status {
            case .completed: return .completedOrder
            case .pending: return .pendingOrder
            case .cancelled, .paymentFailed: return .none
            }
        } catch let error as OrdersError where error == .orderNotFound {
            return .none
        }
    }
}
