import Contract
import Facade
import ModuleRegistry
import Testing

/// Every contract case of every module that runs as a service, against both
/// of its providers: the module in this process and its real service
/// executable. Each module × case × provider is its own test result. The
/// modules come from the registry: extracting one adds its cases here.
@Suite(.contractProviders)
struct ModuleContractTests {
    /// The modules that run as services, by name.
    static let extractable = ModuleRegistry.extractable.map(\.name)

    @Test("the module in process keeps its contract", arguments: ModuleCase.all)
    func inProcess(_ contractCase: ModuleCase) throws {
        let fixture = try ContractFixture.require(contractCase.module)
        try check(contractCase, of: fixture, against: fixture.local)
    }

    @Test("its service executable keeps the contract", arguments: ModuleCase.all)
    func service(_ contractCase: ModuleCase) throws {
        let fixture = try ContractFixture.require(contractCase.module)
        try check(contractCase, of: fixture, against: fixture.remote)
    }

    /// Runs one case through `transport` and records its failure as this test's issue.
    private func check(
        _ contractCase: ModuleCase, of fixture: ContractFixture, against transport: any Transport,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let result = try #require(
            fixture.service.contract.run(contractCase.name, against: transport), "no case named \(contractCase.name)",
            sourceLocation: sourceLocation)
        if let failure = result.failure {
            Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
        }
    }
}
