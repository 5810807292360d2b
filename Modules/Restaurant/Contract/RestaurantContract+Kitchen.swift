import Contract
import Platform
import RestaurantAPI

extension RestaurantContract {
    static let kitchen: [Case] = [
        Case("an opened ticket is open for the kitchen, oldest first; completing it marks it done") { restaurant, env in
            let request = newTicket(env, number: "A-1")
            let first = try restaurant.openKitchenTicket(env.cashier, request)
            try Expect.that(!first.id.isEmpty, "the ticket has an id")
            try Expect.equal(first.orderID, request.orderID, "order_id")
            try Expect.equal(first.orderNumber, "A-1", "order_number")
            try Expect.equal(first.items, request.items, "items")
            try Expect.equal(first.status, .open, "status")
            try Expect.none(first.doneAt, "done_at of an open ticket")
            let second = try restaurant.openKitchenTicket(env.cashier, newTicket(env, number: "A-2"))
            try Expect.equal(
                try restaurant.kitchenTickets(env.cashier, includeDone: false), [first, second], "open tickets")

            let done = try restaurant.completeKitchenTicket(env.cashier, id: first.id)
            try Expect.equal(done.id, first.id, "id of the completed ticket")
            try Expect.equal(done.status, .done, "status after completing")
            try Expect.some(done.doneAt, "done_at after completing")
            try Expect.equal(done.items, first.items, "items kept")
            try Expect.equal(
                try restaurant.kitchenTickets(env.cashier, includeDone: false), [second], "open tickets after completing")
            try Expect.equal(
                try restaurant.kitchenTickets(env.cashier, includeDone: true), [done, second], "all tickets")
        },
        Case("opening a ticket is idempotent by order id: a redelivery returns the same ticket, even once done") {
            restaurant, env in
            let request = newTicket(env)
            let opened = try restaurant.openKitchenTicket(env.admin, request)
            try Expect.equal(try restaurant.openKitchenTicket(env.admin, request), opened, "the redelivered ticket")
            // A redelivery carries the same order; whatever else it says, the first ticket stands.
            var changed = request
            changed.orderNumber = "Z-9"
            changed.items = [KitchenTicket.Line(name: "Something else", quantity: 7)]
            try Expect.equal(try restaurant.openKitchenTicket(env.admin, changed), opened, "a redelivery that differs")
            try Expect.equal(try restaurant.kitchenTickets(env.cashier, includeDone: true), [opened], "one ticket")

            let done = try restaurant.completeKitchenTicket(env.cashier, id: opened.id)
            try Expect.equal(try restaurant.openKitchenTicket(env.admin, request), done, "a redelivery after completion")
            try Expect.equal(
                try restaurant.kitchenTickets(env.cashier, includeDone: false), [], "no ticket reopened by the redelivery")

            let other = try restaurant.openKitchenTicket(env.admin, newTicket(env))
            try Expect.that(other.id != opened.id, "another order gets a ticket of its own")
        },
        Case("completing a ticket twice is ticketAlreadyDone; an unknown or malformed id is ticketNotFound") {
            restaurant, env in
            let ticket = try restaurant.openKitchenTicket(env.cashier, newTicket(env))
            let done = try restaurant.completeKitchenTicket(env.cashier, id: ticket.id)
            try Expect.error(RestaurantError.ticketAlreadyDone, "completing it again") {
                try restaurant.completeKitchenTicket(env.manager, id: ticket.id)
            }
            try Expect.equal(try restaurant.kitchenTickets(env.cashier, includeDone: true), [done], "the ticket unchanged")
            for id in [env.newID(), "not-a-uuid", ""] {
                try Expect.error(RestaurantError.ticketNotFound, "completing ticket \"\(id)\"") {
                    try restaurant.completeKitchenTicket(env.cashier, id: id)
                }
            }
        },
    ]
}
