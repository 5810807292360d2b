import Foundation
import HTTPServer
import Inventory
import InventoryAPI
import Platform
import Security
import Testing

@testable import Gateway

/// `/api/v1/inventory` through the gateway's own pipeline, without a socket.
@Suite struct InventoryRoutesTests {
    let signer = JWTSigner(secret: SecureRandom.bytes(32))

    func responder(_ service: InventoryService) -> GatewayResponder {
        GatewayResponder(
            router: Router(InventoryRoutes.routes(inventory: service)),
            authentication: EdgeAuthentication(signer: signer, opsToken: SecureRandom.bytes(16)), log: .discard)
    }

    func send(
        _ responder: GatewayResponder, _ method: String, _ path: String, role: Role = .manager,
        tenant: String = "t-inv-a", json: String? = nil
    ) -> (status: Int, body: Any?) {
        let now = Int(Date().timeIntervalSince1970)
        let token = signer.sign(
            JWTClaims(
                subject: "u1", tenant: tenant, role: role.rawValue, username: "sam", issuedAt: now,
                expiresAt: now + 600))
        var headers = HTTPHeaders([("x-tenant-id", tenant), ("authorization", "Bearer " + token)])
        if json != nil { headers.add("content-type", "application/json") }
        let response = responder.respond(
            to: HTTPRequest(method: method, target: path, path: path, headers: headers, body: Array((json ?? "").utf8)))
        return (response.status, try? JSONSerialization.jsonObject(with: Data(response.body)))
    }

    @Test func stockOverHTTP() throws {
        let fixture = try InventoryFixture()
        defer { fixture.shutdown() }
        let gateway = responder(fixture.service)
        let item = InventoryFixture.newItem()

        let untracked = send(gateway, "GET", "/api/v1/inventory/\(item)", role: .cashier)
        #expect(untracked.status == 404)
        #expect((untracked.body as? [String: Any])?["code"] as? String == "stock_not_tracked")

        #expect(
            send(gateway, "PUT", "/api/v1/inventory/\(item)", role: .cashier, json: #"{"quantity":5}"#).status == 403)
        let set = send(gateway, "PUT", "/api/v1/inventory/\(item)", json: #"{"quantity":5,"low_stock_threshold":2}"#)
        #expect(set.status == 200)
        let level = try #require(set.body as? [String: Any])
        #expect(level["menu_item_id"] as? String == item)
        #expect(level["quantity"] as? Int == 5)
        #expect(level["low_stock_threshold"] as? Int == 2)

        let adjusted = send(
            gateway, "POST", "/api/v1/inventory/\(item)/adjust", json: #"{"delta":-2,"reason":"dropped a tray"}"#)
        #expect(adjusted.status == 200)
        #expect((adjusted.body as? [String: Any])?["quantity"] as? Int == 3)
        let tooMany = send(gateway, "POST", "/api/v1/inventory/\(item)/adjust", json: #"{"delta":-4,"reason":"waste"}"#)
        #expect(tooMany.status == 409)
        #expect((tooMany.body as? [String: Any])?["code"] as? String == "insufficient_stock")
        #expect(send(gateway, "POST", "/api/v1/inventory/\(item)/adjust", json: #"{"delta":1}"#).status == 422)
        #expect(send(gateway, "PUT", "/api/v1/inventory/not-a-uuid", json: #"{"quantity":1}"#).status == 422)

        #expect(
            (send(gateway, "GET", "/api/v1/inventory/\(item)", role: .cashier).body as? [String: Any])?["quantity"]
                as? Int == 3)
        #expect((send(gateway, "GET", "/api/v1/inventory", role: .cashier).body as? [Any])?.count == 1)
        #expect((send(gateway, "GET", "/api/v1/inventory", tenant: "t-inv-b").body as? [Any])?.count == 0)
        #expect(send(gateway, "GET", "/api/v1/inventory/\(item)", tenant: "t-inv-b").status == 404)
        #expect(send(gateway, "GET", "/api/v1/inventory/not-a-uuid").status == 404)
    }
}
