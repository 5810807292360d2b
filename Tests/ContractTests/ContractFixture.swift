import BanyanTestSupport
import Bootstrap
import Contract
import Facade
import Foundation
import ModuleRegistry
import Platform
import Postgres
import Testing

/// Both providers of one extractable module: its table in this process over
/// a test database of its own, and its service executable running as a
/// child process over another. `ContractProviders` starts one for every
/// module of the registry that runs as a service, once per suite; the
/// suite's tests read them through `ContractFixture.require(_:)`.
final class ContractFixture: Sendable {
    @TaskLocal static var running: [String: ContractFixture] = [:]

    let module: ModuleDescriptor
    /// What the module declares as extractable: operations, contract, decoder.
    let service: ServiceDescriptor
    let database: Database
    /// The module's operation table bound to its in-process implementation.
    let table: OperationTable
    let local: LocalTransport
    let process: ServiceProcess
    /// Calls to `process` as the gateway makes them: signed, over libcurl.
    let remote: HTTPTransport

    private init(
        module: ModuleDescriptor, service: ServiceDescriptor, database: Database, table: OperationTable,
        process: ServiceProcess
    ) {
        self.module = module
        self.service = service
        self.database = database
        self.table = table
        self.local = LocalTransport(table)
        self.process = process
        self.remote = HTTPTransport(
            module: module.name, baseURL: process.baseURL, tokens: ServiceTokenIssuer(secret: process.tokenSecret),
            decodeError: { service.decodeError($0) },
            // Generous: two shared cores may be running other builds and suites.
            connectTimeout: 5, totalTimeout: 30)
    }

    static func start(_ module: ModuleDescriptor) throws -> ContractFixture {
        guard let service = module.service, let schema = module.schema else {
            throw TestFailure("\(module.name) does not run as a service")
        }
        let database = try TestDatabase.open(modules: [schema], prefix: "contract_\(module.name)")
        // What the gateway hosts, with every host value at its default (Payments: the simulator).
        let table = service.table(in: ModuleHost(database: database, environment: HostEnvironment()))
        let process: ServiceProcess
        do {
            // Its own database, migrated first (as `banyan migrate` would): the service logs in as its role only.
            process = try ServiceProcess.start(module, databaseURL: TestDatabase.makeDatabase("contract_\(module.name)_svc"))
        } catch {
            database.shutdown()
            throw error
        }
        return ContractFixture(module: module, service: service, database: database, table: table, process: process)
    }

    /// The running suite's fixture of the module called `name`.
    static func require(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ContractFixture {
        try #require(
            running[name], "run inside a suite with the .contractProviders trait; \(name) must run as a service",
            sourceLocation: sourceLocation)
    }

    /// Stops the service (SIGTERM) and closes the database.
    func stop() -> ServiceProcess.Exit? {
        defer { database.shutdown() }
        return process.stop()
    }
}

/// Starts both providers of every module that runs as a service once for a
/// whole suite, and stops them after its last test, expecting each service
/// to exit 0 on SIGTERM.
struct ContractProviders: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        var fixtures: [String: ContractFixture] = [:]
        do {
            for module in ModuleRegistry.extractable { fixtures[module.name] = try ContractFixture.start(module) }
            try await ContractFixture.$running.withValue(fixtures) { try await function() }
        } catch {
            for fixture in fixtures.values { _ = fixture.stop() }
            throw error
        }
        for fixture in fixtures.values {
            let exit = fixture.stop()
            #expect(
                exit == ServiceProcess.Exit(reason: .exit, status: 0),
                "\(fixture.process.executable) stops on SIGTERM with exit status 0")
        }
    }
}

extension Trait where Self == ContractProviders {
    /// Every extractable module in process and as its service executable, for the suite's tests.
    static var contractProviders: Self { ContractProviders() }
}

/// One contract case of one module, as a test's argument.
struct ModuleCase: Sendable, CustomTestStringConvertible {
    let module: String
    let name: String

    var testDescription: String { "\(module): \(name)" }

    /// Every case of every module that runs as a service.
    static let all: [ModuleCase] = ModuleRegistry.extractable.flatMap { module in
        (module.service?.contract.caseNames ?? []).map { ModuleCase(module: module.name, name: $0) }
    }
}
