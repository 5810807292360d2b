import AuthAPI
import BanyanTestSupport
import Foundation
import Gateway
import InventoryAPI
import OrdersAPI
import PaymentsAPI
import Platform
import RestaurantAPI
import Testing

/// Issue 9's staged migration, whole: one restaurant moved out of the
/// monolith module by module (auth, restaurant, inventory, payments, orders,
/// chatbot) and back in reverse, while its tills check out and its staff log
/// in, read the menu, the stock, an order and its payments, and chat. A real
/// gateway and all six service executables share one PostgreSQL and one
/// flags.json; a second restaurant stays in the monolith throughout.
@Suite(.serialized) struct WholeTenantMigrationTests {
    static let modules = ["auth", "restaurant", "inventory", "payments", "orders", "chatbot"]

    @Test func aTenantMovesThroughEveryServiceOneModuleAtATimeUnderLoadAndBackFailingNothing() throws {
        // Every login of the run comes from 127.0.0.1, one per round of the
        // traffic: the per-address budget is for floods, which this is not.
        let app = try TestGateway(logins: .init(maxConcurrentChecks: 4, maxAttemptsPerAddress: 1_000_000))
        var services: [String: ServiceProcess] = [:]
        defer { for service in services.values { service.stop() } }
        for module in Self.modules {
            services[module] = try ServiceProcess.start(
                "\(module)-service", beside: app,
                environment: module == "auth" ? ["JWT_SECRET_KEY": String(decoding: app.jwtSecret, as: UTF8.self)] : [:])
        }
        let urls = services.mapValues(\.url)

        let (moving, movingToken) = try app.tenantWithAdmin("whole")
        let (bystander, bystanderToken) = try app.tenantWithAdmin("stays")
        let initialStock = 100_000
        let item = try app.addMenuItem(
            tenant: moving, token: movingToken, name: "Espresso", priceCents: 280, stock: initialStock)
        let bystanderItem = try app.addMenuItem(
            tenant: bystander, token: bystanderToken, name: "Espresso", priceCents: 280, stock: initialStock)
        // The order the traffic reads back (by id, its payments, its status in a chat).
        let placed = try app.placeOrder(
            tenant: moving, token: movingToken, items: [(item, 1)], method: "card", cardToken: "tok_visa")
        #expect(placed.status == 201, "\(placed.code ?? "")")
        let readBack = try placed.decoded(Order.self)

        let checkoutThreads = 3
        let checkouts = CheckoutLoad(app: app, tenant: moving, token: movingToken, item: item)
        let traffic = TenantTraffic(
            app: app, tenant: moving, password: "admin-password-1", item: item, order: readBack)
        let bystanderCheckouts = CheckoutLoad(app: app, tenant: bystander, token: bystanderToken, item: bystanderItem)
        checkouts.start(threads: checkoutThreads)
        traffic.start(threads: 2)
        bystanderCheckouts.start(threads: 1)

        // One module at a time, out and back in reverse. A flip counts as
        // made once the gateway serves by it and every service has logged
        // loading it (each may call the moved module: orders-service calls
        // restaurant, inventory and payments; chatbot-service calls
        // restaurant, inventory and orders); then requests run on it before
        // the next one.
        let steps = Self.modules.map { ($0, true) } + Self.modules.reversed().map { ($0, false) }
        var homed: Set<String> = []
        var flipError: (any Error)?
        do {
            for (module, out) in steps {
                if out { homed.insert(module) } else { homed.remove(module) }
                try app.route(
                    services: urls,
                    homes: Dictionary(uniqueKeysWithValues: Self.modules.map { ($0, homed.contains($0) ? [moving] : []) }))
                let change = out ? "\(module)[\(moving)]: in-process → service" : "\(module)[\(moving)]: service → in-process"
                try waitUntilLoaded(change, by: Array(services.values), app: app)
                // Each load thread finishes at most one call begun before
                // the flip: two more rounds per traffic thread, and two
                // checkouts per checkout thread, mean calls ran after it.
                let checkoutsBefore = checkouts.results.count
                let roundsBefore = traffic.completedRounds
                guard
                    app.eventually(within: 30, {
                        checkouts.results.count >= checkoutsBefore + 2 * checkoutThreads
                            && zip(traffic.completedRounds, roundsBefore).allSatisfy { $0 >= $1 + 2 }
                    })
                else { throw TestFailure("no load ran after \(change)") }
            }
        } catch {
            flipError = error
        }
        let stopped = [checkouts.stop(within: 60), traffic.stop(within: 60), bystanderCheckouts.stop(within: 60)]
        #expect(flipError == nil, "\(flipError.map { "\($0)" } ?? "")")
        #expect(stopped == [true, true, true], "load threads still running")

        // Zero failed requests, of any kind, for either tenant.
        let sales = checkouts.results
        let requests = traffic.results
        let bystanderSales = bystanderCheckouts.results
        #expect(sales.count >= steps.count * 2 * checkoutThreads, "\(sales.count) checkouts")
        let failedSales = (sales + bystanderSales).filter { $0.status != 201 }
        #expect(failedSales.isEmpty, "failed checkouts: \(failedSales.prefix(10).map { "\($0.status) \($0.code ?? "")" })")
        let failedRequests = requests.filter { $0.failure != nil }
        #expect(
            failedRequests.isEmpty,
            "failed requests: \(failedRequests.prefix(10).map { "\($0.operation): \($0.failure ?? "")" })")

        // x-banyan-route names the gateway's own hops only: a checkout in
        // orders-service is just "orders=service", whatever orders-service
        // then called; one in the monolith names each module its saga
        // called. Each kind of call the gateway makes went to both homes of
        // the module it calls.
        var seen: [String: Set<String>] = [:]
        for sale in sales {
            let hops = Hops(sale.route)
            if hops.entries == ["orders=service"] {
                seen["orders.place", default: []].insert("service")
            } else {
                #expect(
                    hops.entries.first == "orders=in-process"
                        && Set(hops.entries.dropFirst().map(Hops.module)) == ["restaurant", "inventory", "payments"],
                    "a checkout's route: \(sale.route ?? "none")")
                for entry in hops.entries {
                    let caller = Hops.module(entry) == "orders" ? "orders.place" : "checkout's \(Hops.module(entry))"
                    seen[caller, default: []].insert(Hops.home(entry))
                }
            }
        }
        for request in requests {
            let hops = Hops(request.route)
            let own = hops.entries.filter { Hops.module($0) == request.module }
            #expect(own.count == 1, "\(request.operation): \(request.route ?? "none")")
            seen[request.operation, default: []].formUnion(own.map(Hops.home))
            // Only Chatbot in the monolith calls other modules from the gateway.
            let others = hops.entries.filter { Hops.module($0) != request.module }
            let chatInMonolith = request.module == "chatbot" && own == ["chatbot=in-process"]
            #expect(others.isEmpty || chatInMonolith, "\(request.operation): \(request.route ?? "none")")
        }
        let callers = [
            "orders.place", "checkout's restaurant", "checkout's inventory", "checkout's payments", "auth.login",
            "restaurant.menu", "inventory.stock_level", "orders.order", "payments.payments_of_order", "chatbot.reply",
        ]
        #expect(Set(seen.keys) == Set(callers), "\(seen.keys.sorted())")
        for caller in callers {
            #expect(seen[caller] == ["service", "in-process"], "homes of \(caller) seen from the gateway: \(seen[caller] ?? [])")
        }
        for sale in bystanderSales {
            let hops = Hops(sale.route)
            #expect(
                hops.entries.first == "orders=in-process" && hops.entries.allSatisfy { Hops.home($0) == "in-process" },
                "the bystander's checkout: \(sale.route ?? "none")")
        }
        #expect(!bystanderSales.isEmpty, "the bystander checked out nothing")

        // Every order paid exactly once, with its own method and total, whoever placed and charged it.
        let orders = sales.compactMap(\.orderID) + [readBack.id]
        #expect(Set(orders).count == sales.count + 1, "one order per checkout")
        try app.expectPaidOnce(orders, tenant: moving, token: movingToken)
        try app.expectPaidOnce(bystanderSales.compactMap(\.orderID), tenant: bystander, token: bystanderToken)
        #expect(try app.paymentRows(tenant: moving) == orders.count, "no payment of the moving tenant but its orders'")
        let completed = try app.call("GET", "/api/v1/orders?status=completed", tenant: moving, token: movingToken)
        #expect(try completed.decoded(OrderPage.self).total == orders.count)

        // A kitchen ticket for every order, from whichever home placed it to
        // whichever home Restaurant had when the outbox delivered it.
        let ticketed = try app.eventually(within: 20) { try app.kitchenTicketOrders(tenant: moving) == Set(orders) }
        let tickets = try app.kitchenTicketOrders(tenant: moving)
        #expect(
            ticketed,
            "\(Set(orders).subtracting(tickets).count) orders without a ticket, \(tickets.subtracting(orders).count) tickets of no order")

        // Stock exact: every sale taken once, nothing left reserved.
        let sold = sales.reduce(1) { $0 + $1.quantity }
        let stock = try app.stock(tenant: moving, token: movingToken, item: item)
        #expect(stock.quantity == initialStock - sold && stock.reserved == 0, "sold \(sold): \(stock)")
        let bystanderSold = bystanderSales.reduce(0) { $0 + $1.quantity }
        let bystanderStock = try app.stock(tenant: bystander, token: bystanderToken, item: bystanderItem)
        #expect(
            bystanderStock.quantity == initialStock - bystanderSold && bystanderStock.reserved == 0,
            "sold \(bystanderSold): \(bystanderStock)")

        try expectServedWhereRouted(
            sales: sales, requests: requests, services: services, moving: moving, bystander: bystander, app: app)
    }

    // MARK: - The services' side

    /// What the services' request logs show: each call the gateway sent a
    /// service ran there for the moving tenant (the operation it asked for,
    /// once); calls the gateway ran itself reached no service; a service-homed Orders and Chatbot reached
    /// the other services; the bystander reached none.
    private func expectServedWhereRouted(
        sales: [CheckoutLoad.Result], requests: [TenantTraffic.Result], services: [String: ServiceProcess],
        moving: String, bystander: String, app: TestGateway
    ) throws {
        // A request's hops from the gateway, and the operation it asked of each service hop.
        var calls: [(requestID: String, hops: Hops, asked: [String: String])] = []
        for sale in sales {
            let hops = Hops(sale.route)
            let asked = hops.entries == ["orders=service"] ? ["orders": "orders.place"] : ["payments": "payments.charge"]
            calls.append((sale.requestID ?? "", hops, asked))
        }
        for request in requests {
            calls.append((request.requestID ?? "", Hops(request.route), [request.module: request.operation]))
        }
        #expect(calls.allSatisfy { !$0.requestID.isEmpty }, "every reply names its request")

        // The logs are flushed every 50 ms: wait, bounded, for the last calls to show.
        var served: [String: ServedCalls] = [:]
        _ = app.eventually(within: 10) {
            served = services.mapValues { ServedCalls($0.log) }
            return calls.allSatisfy { call in
                call.hops.entries.filter { Hops.home($0) == "service" }.allSatisfy {
                    served[Hops.module($0)]?.served(tenant: moving, requestID: call.requestID) == true
                }
            }
        }
        for call in calls {
            let sent = call.hops.entries.filter { Hops.home($0) == "service" }.map(Hops.module)
            for module in sent {
                let logged = served[module]
                if let operation = call.asked[module] {
                    #expect(
                        logged?.servedOnce(tenant: moving, requestID: call.requestID, operation: operation) == true,
                        "\(module)-service served \(operation) of request \(call.requestID) once (\(call.hops.entries))")
                } else {
                    #expect(
                        logged?.served(tenant: moving, requestID: call.requestID) == true,
                        "\(module)-service served request \(call.requestID) (\(call.hops.entries))")
                }
            }
            if sent.isEmpty {
                let reached = Self.modules.filter { served[$0]?.served(tenant: moving, requestID: call.requestID) == true }
                #expect(reached.isEmpty, "request \(call.requestID), run in the monolith, reached \(reached)")
            }
        }

        // Orders homed in its service (so Restaurant, Inventory and Payments
        // were too, being moved first) priced, reserved and charged there;
        // Chatbot's service, moved last, read the menu, stock and orders there.
        let placedInService = sales.filter { Hops($0.route).entries == ["orders=service"] }.compactMap(\.requestID)
        let chatsInService = requests.filter { $0.module == "chatbot" && Hops($0.route).entries == ["chatbot=service"] }
            .compactMap(\.requestID)
        let reachedFromServices: [(String, String, [String])] = [
            ("restaurant", "restaurant.prices", placedInService), ("inventory", "inventory.reserve", placedInService),
            ("payments", "payments.charge", placedInService), ("restaurant", "restaurant.menu", chatsInService),
            ("inventory", "inventory.stock_level", chatsInService), ("orders", "orders.order_by_number", chatsInService),
        ]
        for (module, operation, requestIDs) in reachedFromServices {
            #expect(
                requestIDs.contains {
                    served[module]?.servedOnce(tenant: moving, requestID: $0, operation: operation) == true
                },
                "\(module)-service served \(operation) for a request another service sent on")
        }
        for (module, service) in services {
            #expect(served[module]?.tenants.contains(moving) == true, "\(module)-service served the moving tenant")
            #expect(!service.servedAnything(tenant: bystander), "\(module)-service served the bystander")
        }
    }

    /// Waits, bounded, until every service has logged loading a flags.json
    /// with `change` among its changes (`orders[t]: in-process → service`).
    private func waitUntilLoaded(_ change: String, by services: [ServiceProcess], app: TestGateway) throws {
        let lagging = services.filter { service in
            !app.eventually(within: 10) {
                service.log.split(separator: "\n").contains { line in
                    guard line.contains("flags loaded"),
                        let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                        entry["msg"] as? String == "flags loaded", let changes = entry["changes"] as? String
                    else { return false }
                    return changes.components(separatedBy: "; ").contains(change)
                }
            }
        }
        guard lagging.isEmpty else {
            throw TestFailure("\(lagging.map(\.name)) did not load \"\(change)\" within 10 s")
        }
    }
}

/// The hops `x-banyan-route` lists, `module=home`, in call order.
struct Hops {
    let entries: [String]

    init(_ header: String?) {
        entries = (header ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
    }

    static func module(_ entry: String) -> String { String(entry.prefix { $0 != "=" }) }
    static func home(_ entry: String) -> String { String(entry.drop { $0 != "=" }.dropFirst()) }
}

/// A service's calls as its request log has them.
struct ServedCalls {
    /// "tenant request-id" → operation → the status of each time it was served.
    private var calls: [String: [String: [Int]]] = [:]
    private(set) var tenants: Set<String> = []

    init(_ log: String) {
        for line in RequestLogTests.accessLines(log) {
            guard case .string(let tenant)? = line["tenant"], case .string(let requestID)? = line["request_id"],
                case .string(let operation)? = line["operation"], case .int(let status)? = line["status"]
            else { continue }
            tenants.insert(tenant)
            calls["\(tenant) \(requestID)", default: [:]][operation, default: []].append(Int(status))
        }
    }

    /// Whether some call was served successfully for `tenant` under `requestID`.
    func served(tenant: String, requestID: String) -> Bool {
        calls["\(tenant) \(requestID)"]?.values.contains { $0.contains(where: (200...299).contains) } ?? false
    }

    /// Whether `operation` was called exactly once for `tenant` under `requestID`, and succeeded.
    func servedOnce(tenant: String, requestID: String, operation: String) -> Bool {
        guard let statuses = calls["\(tenant) \(requestID)"]?[operation], statuses.count == 1 else { return false }
        return (200...299).contains(statuses[0])
    }
}

/// A restaurant's staff at work from real threads, round after round until
/// told to stop: log in (Auth), read the menu (Restaurant), an item's stock
/// (Inventory), an order (Orders) and its payments (Payments), and ask the
/// assistant about the stock and that order (Chatbot). Each round uses the
/// token its own login returned, signed by whichever home served it.
final class TenantTraffic: @unchecked Sendable {
    // @unchecked: `stored`, `rounds` and `stopping` are only touched under `lock`; the rest is immutable.
    struct Result {
        var module: String
        var operation: String
        /// Why the reply is not the expected one; nil when it is.
        var failure: String?
        var route: String?
        var requestID: String?
    }

    private let app: TestGateway
    private let tenant: String
    private let password: String
    private let item: String
    private let order: Order
    private let lock = NSLock()
    private var stored: [Result] = []
    private var rounds: [Int] = []
    private var stopping = false
    private let group = DispatchGroup()

    init(app: TestGateway, tenant: String, password: String, item: String, order: Order) {
        self.app = app
        self.tenant = tenant
        self.password = password
        self.item = item
        self.order = order
    }

    func start(threads: Int) {
        lock.withLock { rounds = Array(repeating: 0, count: threads) }
        for worker in 0..<threads {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                while !isStopping {
                    let results = round()
                    lock.withLock {
                        stored += results
                        rounds[worker] += 1
                    }
                }
            }
            thread.start()
        }
    }

    /// Rounds each thread has finished.
    var completedRounds: [Int] { lock.withLock { rounds } }

    private var isStopping: Bool { lock.withLock { stopping } }

    /// Asks the threads to stop after their current round; true when all did within `seconds`.
    func stop(within seconds: Double) -> Bool {
        lock.withLock { stopping = true }
        return group.wait(timeout: .now() + seconds) == .success
    }

    var results: [Result] { lock.withLock { stored } }

    private func round() -> [Result] {
        var results: [Result] = []
        func request(
            _ module: String, _ operation: String, _ method: String, _ path: String, token: String?, json: Any? = nil,
            expect status: Int, _ check: (TestGateway.Reply) throws -> Bool
        ) -> TestGateway.Reply? {
            do {
                let reply = try app.call(method, path, tenant: tenant, token: token, json: json)
                var failure: String?
                if reply.status != status {
                    failure = "\(reply.status) \(reply.code ?? "")"
                } else if try !check(reply) {
                    failure = "unexpected body: \(String(decoding: reply.body.prefix(300), as: UTF8.self))"
                }
                results.append(
                    Result(
                        module: module, operation: operation, failure: failure, route: reply.header("x-banyan-route"),
                        requestID: reply.header("x-request-id")))
                return failure == nil ? reply : nil
            } catch {
                results.append(Result(module: module, operation: operation, failure: "\(error)", route: nil, requestID: nil))
                return nil
            }
        }

        let login = request(
            "auth", "auth.login", "POST", "/api/v1/auth/login", token: nil,
            json: ["username": "admin", "password": password], expect: 200
        ) { try !$0.decoded(LoginResult.self).accessToken.isEmpty }
        guard let token = try? login?.decoded(LoginResult.self).accessToken else { return results }
        _ = request("restaurant", "restaurant.menu", "GET", "/api/v1/restaurant/menu", token: token, expect: 200) {
            try $0.decoded([MenuItem].self).contains { $0.id == self.item }
        }
        _ = request("inventory", "inventory.stock_level", "GET", "/api/v1/inventory/\(item)", token: token, expect: 200) {
            try $0.decoded(StockLevel.self).menuItemID == self.item
        }
        _ = request("orders", "orders.order", "GET", "/api/v1/orders/\(order.id)", token: token, expect: 200) {
            let read = try $0.decoded(Order.self)
            return read.id == self.order.id && read.status == .completed && read.paymentStatus == "captured"
        }
        _ = request(
            "payments", "payments.payments_of_order", "GET", "/api/v1/payments?order_id=\(order.id)", token: token,
            expect: 200
        ) { try $0.decoded(PaymentList.self).payments.map(\.status) == [.captured] }
        for (message, intent) in [("is espresso in stock?", "stock"), ("status of order \(order.number)", "order_status")] {
            _ = request(
                "chatbot", "chatbot.reply", "POST", "/api/v1/chat", token: token, json: ["message": message], expect: 200
            ) { $0.json["intent"] as? String == intent }
        }
        return results
    }
}
