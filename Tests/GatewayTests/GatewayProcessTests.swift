import AuthAPI
import BanyanTestSupport
import Foundation
import HTTPClient
import InventoryAPI
import OrdersAPI
import PaymentsAPI
import RestaurantAPI
import Testing

/// The real `banyan` executable as operators run it: its own embedded
/// PostgreSQL under a private BANYAN_HOME, real processes, real signals.
@Suite(.serialized) struct GatewayProcessTests {
    let home: String

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("banyan-proc-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(
            atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    static var executable: URL { ChildProcess.product("banyan") }

    func launch(_ arguments: [String]) throws -> ChildProcess {
        try ChildProcess.start(
            Self.executable, arguments, environment: [
                "BANYAN_HOME": home, "BANYAN_PORT": "0", "BANYAN_INTERNAL_PORT": "0", "DATABASE_URL": nil,
            ])
    }

    func clusterIsRunning() -> Bool {
        FileManager.default.fileExists(atPath: home + "/pg/data/postmaster.pid")
    }

    @Test func twoProcessesMigratingAtOnceBothSucceedAndLeaveNothingRunning() throws {
        defer { try? FileManager.default.removeItem(atPath: home) }
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build the banyan product first")
        let first = try launch(["migrate"])
        let second = try launch(["migrate"])
        #expect(first.waitForExit(within: 120) == .success, "\(first.transcript)")
        #expect(second.waitForExit(within: 120) == .success, "\(second.transcript)")
        #expect(!clusterIsRunning(), "the last process out stops the embedded cluster")
        // And the data is there for the next start: migrating again is a no-op.
        let again = try launch(["migrate"])
        #expect(again.waitForExit(within: 120) == .success, "\(again.transcript)")
    }

    @Test func sigtermStopsTheGatewayAndItsClusterWithExitZero() throws {
        defer { try? FileManager.default.removeItem(atPath: home) }
        let gateway = try launch(["serve"])
        // The gateway logs its port (BANYAN_PORT=0 picks a free one).
        let listening = try gateway.waitForPort(announcedAs: "gateway listening", within: 120)
        let health = try HTTPClient.shared.send(method: "GET", url: "http://127.0.0.1:\(listening)/health")
        #expect(health.status == 200)
        #expect(clusterIsRunning())

        #expect(gateway.stop(within: 60) == .success)
        #expect(!clusterIsRunning())
        #expect(throws: HTTPClientError.self) {
            try HTTPClient.shared.send(method: "GET", url: "http://127.0.0.1:\(listening)/health")
        }
    }
}

/// A checkout killed half-way is settled when Banyan starts again.
@Suite(.serialized) struct CheckoutCrashRecoveryTests {
    struct Running {
        var process: ChildProcess
        var port: Int
    }

    let home: String

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("banyan-crash-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(
            atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    func serve(failpoints: String?) throws -> Running {
        let process = try ChildProcess.start(
            GatewayProcessTests.executable, ["serve"],
            environment: [
                "BANYAN_HOME": home, "BANYAN_PORT": "0", "BANYAN_INTERNAL_PORT": "0", "BANYAN_RECOVERY_GRACE_SECONDS": "0",
                // A killed checkout's claim outlives its request's deadline: keep both short.
                "BANYAN_REQUEST_TIMEOUT_MS": "1000", "BANYAN_RECOVERY_INTERVAL_SECONDS": "1",
                "DATABASE_URL": nil, "BANYAN_FAILPOINTS": failpoints,
            ])
        return Running(process: process, port: try process.waitForPort(announcedAs: "gateway listening", within: 120))
    }

    func call(_ running: Running, _ method: String, _ path: String, token: String? = nil, tenant: String? = "crash-cafe", json: Any? = nil) throws -> TestGateway.Reply {
        var headers: [(name: String, value: String)] = []
        if let tenant { headers.append(("x-tenant-id", tenant)) }
        if let token { headers.append(("authorization", "Bearer \(token)")) }
        var body: [UInt8]?
        if let json {
            body = Array(try JSONSerialization.data(withJSONObject: json))
            headers.append(("content-type", "application/json"))
        }
        let response = try HTTPClient.shared.send(
            method: method, url: "http://127.0.0.1:\(running.port)\(path)", headers: headers, body: body, totalTimeout: 30)
        return TestGateway.Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// Starts with the failpoint armed, sets up a restaurant, and places the order that kills the process.
    func crash(at failpoint: String) throws -> (item: String, orderNumber: String) {
        let first = try serve(failpoints: failpoint)
        let ops = try String(contentsOfFile: home + "/ops-token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let created = try call(
            first, "POST", "/admin/tenants", token: ops, tenant: nil,
            json: ["tenant_id": "crash-cafe", "name": "Crash Cafe", "admin": ["username": "admin", "email": "a@example.com", "password": "password-1"]])
        #expect(created.status == 201)
        let login = try call(first, "POST", "/api/v1/auth/login", json: ["username": "admin", "password": "password-1"])
        let token = try login.decoded(LoginResult.self).accessToken
        let item = try call(first, "POST", "/api/v1/restaurant/menu", token: token, json: ["name": "Cake", "price_cents": 500])
            .decoded(MenuItem.self).id
        #expect(try call(first, "PUT", "/api/v1/inventory/\(item)", token: token, json: ["quantity": 5]).status == 200)
        #expect(throws: (any Error).self) {
            try call(first, "POST", "/api/v1/orders", token: token, json: [
                "items": [["menu_item_id": item, "quantity": 2]], "payment": ["method": "card", "token": "tok_visa"],
            ])
        }
        #expect(
            first.process.waitForExit(within: 30) == ChildProcess.Exit(reason: .exit, status: 137),
            "the failpoint killed the gateway")
        return (item, "B-000001")
    }

    func restartAndLogIn() throws -> (Running, String) {
        let second = try serve(failpoints: nil)
        let login = try call(second, "POST", "/api/v1/auth/login", json: ["username": "admin", "password": "password-1"])
        return (second, try login.decoded(LoginResult.self).accessToken)
    }

    /// The orders once none is pending: recovery takes the killed checkout
    /// over when its claim runs out (its request's deadline plus a margin).
    func settledOrders(_ running: Running, token: String) throws -> [Order] {
        let deadline = Date(timeIntervalSinceNow: 30)
        while true {
            let orders = try call(running, "GET", "/api/v1/orders", token: token).decoded(OrderPage.self).orders
            if !orders.contains(where: { $0.status == .pending }) || Date() > deadline { return orders }
            usleep(100_000)
        }
    }

    /// Killed after the charge, the checkout is completed; killed between
    /// reserve and charge, nobody knows the checkout failed, so recovery
    /// takes it forward with the same keys (the card token is kept on the
    /// pending order for this). Either way: charged exactly once.
    @Test(arguments: ["checkout.after-charge", "checkout.after-reserve"])
    func aCheckoutKilledHalfWayIsCompletedOnRestart(failpoint: String) throws {
        defer { try? FileManager.default.removeItem(atPath: home) }
        let (item, _) = try crash(at: failpoint)
        let (second, token) = try restartAndLogIn()
        defer { second.process.stop() }

        let orders = try settledOrders(second, token: token)
        #expect(orders.count == 1)
        let order = try #require(orders.first)
        #expect(order.status == .completed)
        let payments = try call(second, "GET", "/api/v1/payments?order_id=\(order.id)", token: token)
            .decoded(PaymentList.self).payments
        #expect(payments.count == 1, "charged exactly once")
        #expect(payments.first?.status == .captured)
        let stock = try call(second, "GET", "/api/v1/inventory/\(item)", token: token).decoded(StockLevel.self)
        #expect(stock.quantity == 3)
        #expect(stock.reserved == 0, "no stock stays held for the order")
    }
}
