import GatewayTestSupport
import BanyanTestSupport
import ChatbotAPI
import Foundation
import Platform
import Testing

@testable import Gateway

/// `POST /api/v1/chat` through the gateway's own pipeline (tenant and token
/// walls, routing, problem mapping) over the real module services, without
/// a socket: the composition root is not ours.
@Suite final class ChatRoutesTests {
    let fixture: ChatFixture
    let gateway: RouteHarness

    init() throws {
        fixture = try ChatFixture()
        gateway = RouteHarness(ChatRoutes.routes(chat: fixture.chat), tenant: "t-chat-a", role: .cashier)
    }

    deinit { fixture.shutdown() }

    /// Every chat request is a POST to one path.
    func post(body: [UInt8], role: Role? = nil, token: Bool = true) -> RouteHarness.Reply {
        gateway.send("POST", "/api/v1/chat", role: role, body: body, token: token)
    }

    func post(message: String, role: Role? = nil) throws -> RouteHarness.Reply {
        post(body: Array(try JSONEncoder().encode(ChatMessage(message: message))), role: role)
    }

    @Test func ordersAndRefusesOverHTTP() throws {
        try fixture.seedMenu()

        let placed = try post(message: "order 2 burgers and a coke")
        #expect(placed.status == 200)
        let answer = try placed.decoded(ChatReply.self)
        #expect(answer.intent == "place_order")
        let order = answer.json["order"]
        let number = try #require(order["number"].string)
        #expect(order["status"].string == "completed")
        #expect(order["total_cents"].int == 1950)

        let refused = try post(message: "cancel order \(number)", role: .cashier)
        #expect(refused.status == 200)
        let refusal = try refused.decoded(ChatReply.self)
        #expect(refusal.intent == "cancel_order")
        #expect(refusal.reply.contains("needs a manager"))
        #expect(try fixture.orders.order(ChatFixture.context(), number: number).status == .completed)

        // The reply's wire shape: exactly these keys, `data` even when it is null.
        let help = try post(message: "help")
        #expect(help.status == 200)
        #expect(Set(help.json.keys) == ["intent", "reply", "data"])
    }

    @Test func oddInputsAllGet200() throws {
        try fixture.seedMenu()
        let tenKB = String(repeating: "a", count: ChatRoutes.maximumMessageBytes)
        // The service's sweep has a few inputs over the limit; those are the route's 413.
        let inputs = ([tenKB] + ChatServiceTests.oddInputs).filter { $0.utf8.count <= ChatRoutes.maximumMessageBytes }
        #expect(inputs.count >= ChatServiceTests.oddInputs.count - 3)
        for (index, message) in inputs.enumerated() {
            let reply = try post(message: message)
            #expect(reply.status == 200, "input \(index)")
            let answer = try? reply.decoded(ChatReply.self)
            #expect(answer != nil, "input \(index) is not a reply")
            #expect(answer?.reply.isEmpty == false, "input \(index)")
        }
        #expect(try fixture.orderCount() == 0)
    }

    @Test func bodyLimitsAndShape() throws {
        let overMessage = try post(message: String(repeating: "a", count: ChatRoutes.maximumMessageBytes + 1))
        #expect(overMessage.status == 413)
        #expect(overMessage.code == "message_too_long")
        let hugeBody = post(body: Array("{\"message\":\"\(String(repeating: "b", count: 1 << 20))\"}".utf8))
        #expect(hugeBody.status == 413)
        #expect(hugeBody.code == "message_too_long")

        #expect(post(body: Array("not json".utf8)).status == 400)
        #expect(post(body: []).status == 400)
        let wrongType = post(body: Array(#"{"message":42}"#.utf8))
        #expect(wrongType.status == 422)
        #expect(wrongType.code == "validation_failed")
        #expect(post(body: Array("{}".utf8)).status == 422)
        #expect(post(body: Array(#"{"message":"help"}"#.utf8), token: false).status == 401)
    }
}
