import AuthModule
import BanyanTestSupport
import Bootstrap
import Flags
import ChatbotAPI
import Foundation
import Gateway
import HTTPClient
import HTTPServer
import InventoryAPI
import OrdersAPI
import Platform
import RestaurantAPI
import Security
import Testing

/// `POST /api/v1/chat` over a real socket, through the composition root as
/// `banyan` wires it.
@Suite struct ChatHTTPTests {
    @Test func chatOverTheWire() throws {
        let database = try TestDatabase.open(modules: Gateway.modules, prefix: "chathttp", poolWaitTimeout: 30)
        defer { database.shutdown() }
        let secret = SecureRandom.bytes(32)
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let gateway = Gateway(
            database: database, opsToken: Hex.encode(SecureRandom.bytes(16)),
            flags: try FlagsStore(path: "/nonexistent/flags.json", log: .discard),
            services: Gateway.ServiceCalls(secret: SecureRandom.bytes(32)), server: configuration,
            host: HostEnvironment().with(AuthModule.tokens, UserTokens(secret: secret)), log: .discard)
        try gateway.start()
        defer { gateway.shutdown() }

        let tenant = "t-chat-http"
        let manager = CallContext(tenant: TenantID(tenant)!, userID: "u1", role: .manager, requestID: "seed")
        let burger = try gateway.restaurant.createMenuItem(
            manager, NewMenuItem(name: "Burger", priceCents: 850, currency: "USD"))
        _ = try gateway.restaurant.createMenuItem(manager, NewMenuItem(name: "Coke", priceCents: 250, currency: "USD"))
        _ = try gateway.inventory.setStock(manager, menuItemID: burger.id, SetStock(quantity: 10))

        let signer = JWTSigner(secret: secret)
        func post(_ body: [UInt8], role: Role = .cashier) throws -> (status: Int, body: [UInt8]) {
            let now = Int(Date().timeIntervalSince1970)
            let token = signer.sign(
                JWTClaims(
                    subject: "u1", tenant: tenant, role: role.rawValue, username: "sam", issuedAt: now,
                    expiresAt: now + 600))
            let response = try HTTPClient.shared.send(
                method: "POST", url: "http://127.0.0.1:\(gateway.port)/api/v1/chat",
                headers: [
                    ("x-tenant-id", tenant), ("authorization", "Bearer \(token)"), ("content-type", "application/json"),
                ],
                body: body)
            return (response.status, response.body)
        }
        func say(_ message: String, role: Role = .cashier) throws -> (status: Int, body: [UInt8]) {
            try post(try WireJSON.encode(ChatMessage(message: message)), role: role)
        }

        let placed = try say("order 2 burgers and a coke")
        #expect(placed.status == 200)
        let order = try WireJSON.decode(ChatReply.self, from: placed.body)
        #expect(order.intent == "place_order")
        let number = try #require(order.json["order"]["number"].string)
        #expect(try gateway.orders.order(manager, number: number).status == .completed)
        #expect(try gateway.inventory.stockLevel(manager, menuItemID: burger.id)?.quantity == 8)

        let refused = try say("cancel order \(number)", role: .cashier)
        #expect(refused.status == 200)
        #expect(try WireJSON.decode(ChatReply.self, from: refused.body).json["code"].string == "insufficient_role")
        let cancelled = try say("cancel order \(number)", role: .manager)
        #expect(cancelled.status == 200)
        #expect(try gateway.orders.order(manager, number: number).status == .cancelled)

        let inputs = ChatServiceTests.oddInputs.filter { $0.utf8.count <= 10 * 1024 }
            + [String(repeating: "a", count: 10 * 1024)]
        for (index, message) in inputs.enumerated() {
            let reply = try say(message)
            #expect(reply.status == 200, "input \(index)")
            #expect((try? WireJSON.decode(ChatReply.self, from: reply.body))?.reply.isEmpty == false, "input \(index)")
        }
        // A problem+json body, read raw: its `code` is the wire contract.
        let tooLong = try say(String(repeating: "a", count: 10 * 1024 + 1))
        #expect(tooLong.status == 413)
        let problem = ChatJSON(value: try WireJSON.decode(JSONValue.self, from: tooLong.body))
        #expect(problem["code"].string == "message_too_long")
        let hugeBody = try post(Array("{\"message\":\"\(String(repeating: "z", count: 200_000))\"}".utf8))
        #expect(hugeBody.status == 413)
    }
}
