import BanyanTestSupport
import Bootstrap
import Contract
import Facade
import Flags
import Foundation
import HTTPServer
import ModuleRegistry
import Platform
import Postgres
import Routing
import Security
import Testing

/// Both providers of one extractable module: its table in this process over
/// a test database of its own, and its service executable running as a
/// child process over another. `ContractProviders` starts one for every
/// module of the registry that runs as a service, once per suite; the
/// suite's tests read them through `ContractFixture.require(_:)`.
///
/// The module's calls to other modules (Orders' checkout prices, reserves
/// and charges) have a home on both paths: the fixture hosts every module
/// in this process, as the gateway does, and serves the others' tables to
/// the service as the gateway's internal listener would
/// (`BANYAN_MONOLITH_URL`), every tenant homed in-process. A contract that
/// arranges data in other modules (Orders' cases stock a menu) reaches
/// those same tables through either provider's transport.
final class ContractFixture: Sendable {
    @TaskLocal static var running: [String: ContractFixture] = [:]

    let module: ModuleDescriptor
    /// What the module declares as extractable: operations, contract, decoder.
    let service: ServiceDescriptor
    let database: Database
    /// The module's operation table bound to its in-process implementation.
    let table: OperationTable
    /// The module in this process; other modules' operations to their tables here.
    let local: any Transport
    let process: ServiceProcess
    /// Calls to `process` as the gateway makes them: signed, over libcurl;
    /// other modules' operations to the tables `process` reaches.
    let remote: any Transport
    /// The other modules' tables, the home of the service's calls to them.
    private let monolith: ServiceHost
    /// Where `monolith` listens: the service's `BANYAN_MONOLITH_URL`.
    var monolithURL: String { "http://127.0.0.1:\(monolith.port)" }
    /// The service's routing settings, for a client (`banyan contract`) to
    /// reach the other modules where the service does.
    var routing: [String: String] { ["BANYAN_MONOLITH_URL": monolithURL, "BANYAN_FLAGS": Self.noFlags] }

    private init(
        module: ModuleDescriptor, service: ServiceDescriptor, database: Database, host: ModuleHost,
        monolith: ServiceHost, process: ServiceProcess
    ) {
        self.module = module
        self.service = service
        self.database = database
        self.table = host.table(of: module)
        self.monolith = monolith
        self.local = Self.dispatch(module.name, to: LocalTransport(table), others: host)
        self.process = process
        self.remote = Self.dispatch(
            module.name,
            to: HTTPTransport(
                module: module.name, baseURL: process.baseURL, tokens: ServiceTokenIssuer(secret: process.tokenSecret),
                decodeError: { service.decodeError($0) },
                // Generous: two shared cores may be running other builds and suites.
                connectTimeout: 5, totalTimeout: 30),
            others: host)
    }

    /// `module`'s calls to `own`, any other module's to its table in `host`.
    private static func dispatch(_ module: String, to own: any Transport, others host: ModuleHost) -> ModuleSwitch {
        var byModule: [String: any Transport] = [:]
        for other in ModuleRegistry.extractable { byModule[other.name] = host.transport(to: other) }
        byModule[module] = own
        return ModuleSwitch(byModule)
    }

    static func start(_ module: ModuleDescriptor) throws -> ContractFixture {
        guard let service = module.service else {
            throw TestFailure("\(module.name) does not run as a service")
        }
        let database = try TestDatabase.open(
            modules: ModuleRegistry.all.compactMap(\.schema), prefix: "contract_\(module.name)")
        let secret = Hex.encode(SecureRandom.bytes(32))
        // What the gateway hosts, with every host value at its default (Payments: the simulator),
        // every module homed here: a flags file that does not exist routes everything in-process.
        let flags = try FlagsStore(path: noFlags, log: .discard)
        let host = ModuleHost(
            database: database, environment: HostEnvironment(), hosting: ModuleRegistry.all,
            router: ModuleRouter(flags: flags, calls: ServiceCalls(secret: Array(secret.utf8)), placement: .monolith))
        var listener = HTTPServerConfiguration()
        listener.port = 0
        listener.workerCount = 4
        let monolith = ServiceHost(
            tables: ModuleRegistry.extractable.filter { $0.name != module.name }.map(host.table(of:)),
            secret: Array(secret.utf8), configuration: listener, ready: { database.ping() }, log: .discard)
        let process: ServiceProcess
        do {
            try monolith.start()
            // Its own database, migrated first (as `banyan migrate` would): the service logs in as its role only.
            // A module that owns no data gets none.
            process = try ServiceProcess.start(
                module,
                databaseURL: module.schema == nil ? nil : TestDatabase.makeDatabase("contract_\(module.name)_svc"),
                secret: secret,
                environment: ["BANYAN_MONOLITH_URL": "http://127.0.0.1:\(monolith.port)", "BANYAN_FLAGS": noFlags])
        } catch {
            monolith.shutdown()
            database.shutdown()
            throw error
        }
        return ContractFixture(
            module: module, service: service, database: database, host: host, monolith: monolith, process: process)
    }

    /// A flags file nobody writes: every module homed in-process, in this process and the service alike.
    private static let noFlags = "/nonexistent/banyan-contract-flags.json"

    /// The running suite's fixture of the module called `name`.
    static func require(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ContractFixture {
        try #require(
            running[name], "run inside a suite with the .contractProviders trait; \(name) must run as a service",
            sourceLocation: sourceLocation)
    }

    /// Stops the service (SIGTERM), then what it called, and closes the database.
    func stop() -> ServiceProcess.Exit? {
        defer {
            monolith.shutdown()
            database.shutdown()
        }
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
