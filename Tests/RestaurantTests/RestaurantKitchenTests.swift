import BanyanTestSupport
import Foundation
import Platform
import Restaurant
import RestaurantAPI
import Testing

/// Kitchen tickets: one per order, whatever the retries; closed once.
///
/// The test that races many callers needs a bigger pool: it is static, so
/// it makes no suite instance and no suite fixture only to go unused.
@Suite final class RestaurantKitchenTests {
    static let system = CallContext.system(tenant: TenantID("t-rest-a")!, component: "kitchen", requestID: "test")
    let fixture: RestaurantFixture

    init() throws { fixture = try RestaurantFixture() }
    deinit { fixture.shutdown() }

    static func ticket(_ order: String, number: String = "B-000001") -> NewKitchenTicket {
        NewKitchenTicket(
            orderID: order, orderNumber: number,
            items: [KitchenTicket.Line(name: "Burger", quantity: 2), KitchenTicket.Line(name: "Cola", quantity: 1)])
    }

    @Test func openingATicketTwiceForOneOrderReturnsTheFirst() throws {
        let first = try fixture.service.openKitchenTicket(Self.system, Self.ticket("order-1"))
        #expect(first.status == .open)
        #expect(first.orderNumber == "B-000001")
        #expect(
            first.items == [
                KitchenTicket.Line(name: "Burger", quantity: 2), KitchenTicket.Line(name: "Cola", quantity: 1),
            ])
        #expect(first.doneAt == nil)
        let again = try fixture.service.openKitchenTicket(Self.system, Self.ticket("order-1", number: "B-999999"))
        #expect(again == first)
        #expect(try fixture.service.kitchenTickets(Self.system, includeDone: true) == [first])
    }

    @Test static func concurrentOpensForOneOrderMakeOneTicket() throws {
        try RestaurantFixture.with(poolSize: 8) { fixture in
            let service = fixture.service
            let outcomes = ConcurrentCallers.collect(12, timeout: 60) { _ in
                Result { try service.openKitchenTicket(Self.system, Self.ticket("order-race")).id }
            }
            #expect(outcomes.allSatisfy { $0 != nil }, "a caller did not finish")
            let ids = outcomes.compactMap { outcome in
                outcome.map { result in
                    switch result {
                    case .success(let id): id
                    case .failure(let error): "error: \(String(reflecting: error))"
                    }
                }
            }
            #expect(ids.count == 12)
            #expect(Set(ids).count == 1, "\(ids)")
            let tickets = try fixture.service.kitchenTickets(Self.system, includeDone: true)
            #expect(tickets.count == 1)
        }
    }

    @Test func staffMarkATicketDoneOnce() throws {
        let older = try fixture.service.openKitchenTicket(Self.system, Self.ticket("order-1"))
        let newer = try fixture.service.openKitchenTicket(Self.system, Self.ticket("order-2", number: "B-000002"))
        let cashier = RestaurantFixture.context(role: .cashier)
        #expect(try fixture.service.kitchenTickets(cashier, includeDone: false).map(\.id) == [older.id, newer.id])

        let done = try fixture.service.completeKitchenTicket(cashier, id: older.id)
        #expect(done.status == .done)
        #expect(done.doneAt != nil)
        #expect(throws: RestaurantError.ticketAlreadyDone) {
            try fixture.service.completeKitchenTicket(cashier, id: older.id)
        }
        #expect(try fixture.service.kitchenTickets(cashier, includeDone: false).map(\.id) == [newer.id])
        #expect(try fixture.service.kitchenTickets(cashier, includeDone: true).map(\.id) == [older.id, newer.id])
        // A done ticket is not reopened by a late retry of its order's event.
        #expect(try fixture.service.openKitchenTicket(Self.system, Self.ticket("order-1")).status == .done)

        for id in ["nope", "", UUID().uuidString] {
            #expect(throws: RestaurantError.ticketNotFound) {
                try fixture.service.completeKitchenTicket(cashier, id: id)
            }
        }
        #expect(throws: AccessDenied.self) {
            try fixture.service.completeKitchenTicket(RestaurantFixture.context(role: nil), id: newer.id)
        }
    }

    @Test func ticketInputIsValidated() throws {
        let line = [KitchenTicket.Line(name: "Burger", quantity: 1)]
        let bad: [(NewKitchenTicket, String)] = [
            (NewKitchenTicket(orderID: "", orderNumber: "B-1", items: line), "order_id"),
            (NewKitchenTicket(orderID: "o", orderNumber: "", items: line), "order_number"),
            (NewKitchenTicket(orderID: "o", orderNumber: "B-1", items: []), "items"),
            (
                NewKitchenTicket(orderID: "o", orderNumber: "B-1", items: [KitchenTicket.Line(name: "", quantity: 1)]),
                "items.0.name"
            ),
            (
                NewKitchenTicket(orderID: "o", orderNumber: "B-1", items: [KitchenTicket.Line(name: "x", quantity: 0)]),
                "items.0.quantity"
            ),
        ]
        for (ticket, field) in bad {
            let error = #expect(throws: RestaurantError.invalidInput(field: "", reason: "")) {
                try fixture.service.openKitchenTicket(Self.system, ticket)
            }
            #expect(error?.detail.hasPrefix(field + ":") == true, "\(field): \(String(describing: error?.detail))")
        }
        #expect(try fixture.service.kitchenTickets(Self.system, includeDone: true).isEmpty)
    }
}
