import GatewayTestSupport
import BanyanTestSupport
import Foundation
import Inventory
import InventoryAPI
import Platform
import Testing

@testable import Gateway

/// `/api/v1/inventory` through the gateway's own pipeline, without a socket.
@Suite final class InventoryRoutesTests {
    let fixture: InventoryFixture
    let gateway: RouteHarness

    init() throws {
        fixture = try InventoryFixture()
        gateway = RouteHarness(InventoryRoutes.routes(inventory: fixture.service), tenant: "t-inv-a")
    }

    deinit { fixture.shutdown() }

    @Test func stockOverHTTP() throws {
        let item = InventoryFixture.newItem()

        let untracked = gateway.send("GET", "/api/v1/inventory/\(item)", role: .cashier)
        #expect(untracked.status == 404)
        #expect(untracked.code == "stock_not_tracked")

        #expect(
            gateway.send("PUT", "/api/v1/inventory/\(item)", role: .cashier, json: #"{"quantity":5}"#).status == 403)
        let set = gateway.send("PUT", "/api/v1/inventory/\(item)", json: #"{"quantity":5,"low_stock_threshold":2}"#)
        #expect(set.status == 200)
        let level = try set.decoded(StockLevel.self)
        #expect(level.menuItemID == item)
        #expect(level.quantity == 5)
        #expect(level.lowStockThreshold == 2)

        let adjusted = gateway.send(
            "POST", "/api/v1/inventory/\(item)/adjust", json: #"{"delta":-2,"reason":"dropped a tray"}"#)
        #expect(adjusted.status == 200)
        #expect(try adjusted.decoded(StockLevel.self).quantity == 3)
        let tooMany = gateway.send("POST", "/api/v1/inventory/\(item)/adjust", json: #"{"delta":-4,"reason":"waste"}"#)
        #expect(tooMany.status == 409)
        #expect(tooMany.code == "insufficient_stock")
        #expect(gateway.send("POST", "/api/v1/inventory/\(item)/adjust", json: #"{"delta":1}"#).status == 422)
        #expect(gateway.send("PUT", "/api/v1/inventory/not-a-uuid", json: #"{"quantity":1}"#).status == 422)

        let read = gateway.send("GET", "/api/v1/inventory/\(item)", role: .cashier)
        #expect(try read.decoded(StockLevel.self).quantity == 3)
        #expect(try gateway.send("GET", "/api/v1/inventory", role: .cashier).decoded([StockLevel].self).count == 1)
        #expect(try gateway.send("GET", "/api/v1/inventory", tenant: "t-inv-b").decoded([StockLevel].self).isEmpty)
        #expect(gateway.send("GET", "/api/v1/inventory/\(item)", tenant: "t-inv-b").status == 404)
        #expect(gateway.send("GET", "/api/v1/inventory/not-a-uuid").status == 404)
    }
}
