import Facade
import Foundation

// The contract sample of each type the Orders operations carry, written
// once: every optional field set and one element in every array, so every
// key a provider may send is in the contract's shapes and its fingerprint
// (see `ContractSample`).

extension OrderLookup: ContractSample {
    public static let contractSample = OrderLookup(id: "00000000-0000-0000-0000-000000000001")
}

extension OrderNumberLookup: ContractSample {
    public static let contractSample = OrderNumberLookup(number: "B-000042")
}

extension PlaceOrder: ContractSample {
    public static let contractSample = PlaceOrder(
        items: [Item(menuItemID: "00000000-0000-0000-0000-000000000002", quantity: 2)],
        payment: Payment(method: "card", token: "tok_visa"))
}

extension OrderQuery: ContractSample {
    public static let contractSample = OrderQuery(status: .completed, limit: 50, offset: 0)
}

extension Order: ContractSample {
    public static let contractSample = Order(
        id: OrderLookup.contractSample.id, number: OrderNumberLookup.contractSample.number, status: .completed,
        totalCents: 560, currency: "USD",
        items: [Line(menuItemID: "00000000-0000-0000-0000-000000000002", name: "Espresso", quantity: 2, unitPriceCents: 280)],
        paymentStatus: "captured", paymentMethod: "card", failureCode: "card_declined",
        createdAt: Date(timeIntervalSince1970: 0))
}

extension OrderPage: ContractSample {
    public static let contractSample = OrderPage(orders: [Order.contractSample], total: 1, limit: 50, offset: 0)
}
