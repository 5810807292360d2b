import Foundation
import Inventory
import InventoryAPI
import Platform
import Testing

@testable import Gateway

/// `/api/v1/inventory` through the gateway's own pipeline, without a socket.
@Suite struct InventoryRoutesTests {
    @Test func stockOverHTTP() throws {
        let fixture = try InventoryFixture()
        defer { fixture.shutdown() }
        let gateway = RouteHarness(InventoryRoutes.routes(inventory: fixture.service), tenant: "t-inv-a")
        let item = InventoryFixture.newItem()

        let untracked = gateway.send("GET", "/api/v1/inventory/\(item)", role: .cashier)
        #expect(untracked.status == 404)
        #expect(untracked.code == "stock_not_tracked")

        #expect(
            gateway.send("PUT", "/api/v1/inventory/\(item)", role: .cashier, json: #"{"quantity":5}"#).status == 403)
        let set = gateway.send("PUT", "/api/v1/inventory/\(item)", json: #"{"quantity":5,"low_stock_threshold":2}"#)
        #expect(set.status == 200)
        let level = try #require(set.body as? [String: Any])
        #expect(level["menu_item_id"] as? String == item)
        #expect(level["quantity"] as? Int == 5)
        #expect(level["low_stock_threshold"] as? Int == 2)

        let adjusted = gateway.send(
            "POST", "/api/v1/inventory/\(item)/adjust", json: #"{"delta":-2,"reason":"dropped a tray"}"#)
        #expect(adjusted.status == 200)
        #expect(adjusted.json["quantity"] as? Int == 3)
        let tooMany = gateway.send("POST", "/api/v1/inventory/\(item)/adjust", json: #"{"delta":-4,"reason":"waste"}"#)
        #expect(tooMany.status == 409)
        #expect(tooMany.code == "insufficient_stock")
        #expect(gateway.send("POST", "/api/v1/inventory/\(item)/adjust", json: #"{"delta":1}"#).status == 422)
        #expect(gateway.send("PUT", "/api/v1/inventory/not-a-uuid", json: #"{"quantity":1}"#).status == 422)

        #expect(gateway.send("GET", "/api/v1/inventory/\(item)", role: .cashier).json["quantity"] as? Int == 3)
        #expect((gateway.send("GET", "/api/v1/inventory", role: .cashier).body as? [Any])?.count == 1)
        #expect((gateway.send("GET", "/api/v1/inventory", tenant: "t-inv-b").body as? [Any])?.count == 0)
        #expect(gateway.send("GET", "/api/v1/inventory/\(item)", tenant: "t-inv-b").status == 404)
        #expect(gateway.send("GET", "/api/v1/inventory/not-a-uuid").status == 404)
    }
}
