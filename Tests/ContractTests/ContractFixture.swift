import BanyanTestSupport
import Contract
import Facade
import Foundation
import Inventory
import InventoryAPI
import Payments
import Platform
import PaymentsAPI
import Postgres
import Testing

/// Both providers of one module for a suite: the module in this process
/// over its own test database, and its service executable running as a
/// child process over another. Started once per suite by `ContractProviders`
/// and read by the suite's tests through `ContractFixture.current`.
final class ContractFixture: Sendable {
    enum Module: String, Sendable {
        case payments, inventory

        var executable: String { rawValue + "-service" }
        var schema: ModuleSchema { self == .payments ? PaymentsSchema.module : InventorySchema.module }
        var decoder: @Sendable (Problem) -> (any Error)? {
            self == .payments ? PaymentsOperations.decodeError : InventoryOperations.decodeError
        }
    }

    @TaskLocal static var current: ContractFixture?

    let module: Module
    let database: Database
    /// The module's operation table bound to its in-process implementation.
    let table: OperationTable
    let local: LocalTransport
    let service: ServiceProcess
    /// Calls to `service` as the gateway makes them: signed, over libcurl.
    let remote: HTTPTransport

    private init(module: Module, database: Database, table: OperationTable, service: ServiceProcess) {
        self.module = module
        self.database = database
        self.table = table
        self.local = LocalTransport(table)
        self.service = service
        let decoder = module.decoder
        self.remote = HTTPTransport(
            module: module.rawValue, baseURL: service.baseURL, tokens: ServiceTokenIssuer(secret: service.tokenSecret),
            decodeError: { OperationTable.decodeError($0, moduleDecoder: decoder) },
            // Generous: two shared cores may be running other builds and suites.
            connectTimeout: 5, totalTimeout: 30)
    }

    static func start(_ module: Module) throws -> ContractFixture {
        let database = try TestDatabase.open(modules: [module.schema], prefix: "contract_\(module.rawValue)")
        let table: OperationTable =
            switch module {
            case .payments:
                PaymentsService(pool: database.pool(for: "payments"), processor: SimulatedCardProcessor()).operations()
            case .inventory:
                InventoryService(pool: database.pool(for: "inventory")).operations()
            }
        let service: ServiceProcess
        do {
            // Its own database, migrated first (as `banyan migrate` would): the service logs in as its role only.
            service = try ServiceProcess.start(
                module.executable, databaseURL: TestDatabase.makeDatabase("contract_\(module.rawValue)_svc"))
        } catch {
            database.shutdown()
            throw error
        }
        return ContractFixture(module: module, database: database, table: table, service: service)
    }

    /// The fixture of the running suite.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> ContractFixture {
        try #require(current, "run inside a suite with the .contractProviders trait", sourceLocation: sourceLocation)
    }

    /// Stops the service (SIGTERM) and closes the database.
    func stop() -> ServiceProcess.Exit? {
        defer { database.shutdown() }
        return service.stop()
    }
}

/// Starts a module's two providers once for a whole suite and stops them
/// after its last test, expecting the service to exit 0 on SIGTERM.
struct ContractProviders: SuiteTrait, TestScoping {
    let module: ContractFixture.Module

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let fixture = try ContractFixture.start(module)
        do {
            try await ContractFixture.$current.withValue(fixture) { try await function() }
        } catch {
            _ = fixture.stop()
            throw error
        }
        let exit = fixture.stop()
        #expect(
            exit == ServiceProcess.Exit(reason: .exit, status: 0),
            "\(module.executable) stops on SIGTERM with exit status 0")
    }
}

extension Trait where Self == ContractProviders {
    /// The in-process module and its service executable, for the suite's tests.
    static func contractProviders(_ module: ContractFixture.Module) -> Self { ContractProviders(module: module) }
}

/// Runs one named case against a provider and records its failure as this test's issue.
func check<Provider>(
    _ name: String, in cases: [ContractCase<Provider>], against provider: Provider,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let contractCase = try #require(cases.first { $0.name == name }, "no case named \(name)", sourceLocation: sourceLocation)
    let result = ContractRunner.run(contractCase, against: provider)
    if let failure = result.failure {
        Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
    }
}
