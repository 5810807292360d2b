import ChatbotAPI
import Foundation
import Platform
import Testing

@testable import Gateway

/// `POST /api/v1/chat` through the gateway's own pipeline (tenant and token
/// walls, routing, problem mapping) over the real module services, without
/// a socket: the composition root is not ours.
@Suite struct ChatRoutesTests {
    func harness(_ fixture: ChatFixture) -> RouteHarness {
        RouteHarness(ChatRoutes.routes(chat: fixture.chat), tenant: "t-chat-a", role: .cashier)
    }

    /// Every chat request is a POST to one path.
    func post(_ gateway: RouteHarness, body: [UInt8], role: Role? = nil, token: Bool = true) -> RouteHarness.Reply {
        gateway.send("POST", "/api/v1/chat", role: role, body: body, token: token)
    }

    func post(_ gateway: RouteHarness, message: String, role: Role? = nil) throws -> RouteHarness.Reply {
        post(gateway, body: Array(try JSONEncoder().encode(ChatMessage(message: message))), role: role)
    }

    @Test func ordersAndRefusesOverHTTP() throws {
        let fixture = try ChatFixture()
        defer { fixture.shutdown() }
        try fixture.seedMenu()
        let gateway = harness(fixture)

        let placed = try post(gateway, message: "order 2 burgers and a coke")
        #expect(placed.status == 200)
        #expect(placed.json["intent"] as? String == "place_order")
        let order = try #require((placed.json["data"] as? [String: Any])?["order"] as? [String: Any])
        let number = try #require(order["number"] as? String)
        #expect(order["status"] as? String == "completed")
        #expect(order["total_cents"] as? Int == 1950)

        let refused = try post(gateway, message: "cancel order \(number)", role: .cashier)
        #expect(refused.status == 200)
        #expect(refused.json["intent"] as? String == "cancel_order")
        #expect((refused.json["reply"] as? String)?.contains("needs a manager") == true)
        #expect(try fixture.orders.order(ChatFixture.context(), number: number).status == .completed)

        let help = try post(gateway, message: "help")
        #expect(help.status == 200)
        #expect(Set(help.json.keys) == ["intent", "reply", "data"])
    }

    @Test func oddInputsAllGet200() throws {
        let fixture = try ChatFixture()
        defer { fixture.shutdown() }
        try fixture.seedMenu()
        let gateway = harness(fixture)
        let tenKB = String(repeating: "a", count: ChatRoutes.maximumMessageBytes)
        // The service's sweep has a few inputs over the limit; those are the route's 413.
        let inputs = ([tenKB] + ChatServiceTests.oddInputs).filter { $0.utf8.count <= ChatRoutes.maximumMessageBytes }
        #expect(inputs.count >= ChatServiceTests.oddInputs.count - 3)
        for (index, message) in inputs.enumerated() {
            let reply = try post(gateway, message: message)
            #expect(reply.status == 200, "input \(index)")
            #expect(reply.json["intent"] is String, "input \(index)")
            #expect((reply.json["reply"] as? String)?.isEmpty == false, "input \(index)")
        }
        #expect(try fixture.orderCount() == 0)
    }

    @Test func bodyLimitsAndShape() throws {
        let fixture = try ChatFixture()
        defer { fixture.shutdown() }
        let gateway = harness(fixture)

        let overMessage = try post(gateway, message: String(repeating: "a", count: ChatRoutes.maximumMessageBytes + 1))
        #expect(overMessage.status == 413)
        #expect(overMessage.code == "message_too_long")
        let hugeBody = post(gateway, body: Array("{\"message\":\"\(String(repeating: "b", count: 1 << 20))\"}".utf8))
        #expect(hugeBody.status == 413)
        #expect(hugeBody.code == "message_too_long")

        #expect(post(gateway, body: Array("not json".utf8)).status == 400)
        #expect(post(gateway, body: []).status == 400)
        let wrongType = post(gateway, body: Array(#"{"message":42}"#.utf8))
        #expect(wrongType.status == 422)
        #expect(wrongType.code == "validation_failed")
        #expect(post(gateway, body: Array("{}".utf8)).status == 422)
        #expect(post(gateway, body: Array(#"{"message":"help"}"#.utf8), token: false).status == 401)
    }
}
