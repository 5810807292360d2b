import Contract
import Facade
import Foundation
import PaymentsAPI
import PaymentsContract
import Testing

/// Every Payments contract case against both providers: the module in this
/// process and the real `payments-service` executable. Each case × provider
/// is its own test result.
@Suite(.contractProviders(.payments))
struct PaymentsContractTests {
    static let caseNames = PaymentsContract.cases.map(\.name)

    @Test("in-process Payments module keeps the contract", arguments: caseNames)
    func inProcess(_ name: String) throws {
        let fixture = try ContractFixture.require()
        try check(name, in: PaymentsContract.cases, against: PaymentsClient(transport: fixture.local))
    }

    @Test("payments-service keeps the contract", arguments: caseNames)
    func service(_ name: String) throws {
        let fixture = try ContractFixture.require()
        try check(name, in: PaymentsContract.cases, against: PaymentsClient(transport: fixture.remote))
    }

    @Test func theServiceServesTheSameContractAsTheModule() throws {
        let fixture = try ContractFixture.require()
        let served = try ContractDescription.fetch(from: fixture.service.baseURL)
        #expect(served == fixture.table.contract)
        #expect(served.module == "payments")
        #expect(served.fingerprint == fixture.table.contract.fingerprint)
        #expect(served.operations.map(\.name).contains(PaymentsOperations.charge.name))
    }
}
