import Contract
import Facade
import Foundation
import InventoryAPI
import InventoryContract
import Testing

/// Every Inventory contract case against both providers: the module in
/// this process and the real `inventory-service` executable.
@Suite(.contractProviders(.inventory))
struct InventoryContractTests {
    static let caseNames = InventoryContract.cases.map(\.name)

    @Test("in-process Inventory module keeps the contract", arguments: caseNames)
    func inProcess(_ name: String) throws {
        let fixture = try ContractFixture.require()
        try check(name, in: InventoryContract.cases, against: InventoryClient(transport: fixture.local))
    }

    @Test("inventory-service keeps the contract", arguments: caseNames)
    func service(_ name: String) throws {
        let fixture = try ContractFixture.require()
        try check(name, in: InventoryContract.cases, against: InventoryClient(transport: fixture.remote))
    }

    @Test func theServiceServesTheSameContractAsTheModule() throws {
        let fixture = try ContractFixture.require()
        let served = try ContractDescription.fetch(from: fixture.service.baseURL)
        #expect(served == fixture.table.contract)
        #expect(served.module == "inventory")
    }
}
