import Facade
import Postgres
import Routing
import Synchronization

/// A process as host of its modules: the database their pools come from,
/// what it gives them besides (`HostEnvironment`), which modules it hosts,
/// and how its calls reach any module's operations — through its router
/// (`ModuleRouter`), by the tenant's home in flags.json. A module's `Module`
/// target builds its facade from it (`PaymentsModule.facade(in:)`), and a
/// module that calls another asks it for that one by interface
/// (`host.transport(to: PaymentsOperations.interface)`), so neither ever
/// needs to know where the other runs.
///
/// The gateway's host hosts every module of the registry; a service's host
/// only its own. Each hosted module's table is made once, on first use, and
/// each module's transport once: copies of a host share them.
public struct ModuleHost: Sendable {
    /// Nil in a process whose modules own no data (chatbot-service).
    private let givenDatabase: Database?
    public let environment: HostEnvironment
    private let hosted: [String: ModuleDescriptor]
    private let router: ModuleRouter?
    private let made: Made

    /// The database the hosted modules' pools come from. Only a module with
    /// a schema asks for it, and a process hosting one always has it.
    public var database: Database {
        guard let givenDatabase else {
            preconditionFailure("this host has no database: it hosts only modules that own no data")
        }
        return givenDatabase
    }

    /// A host that routes nothing: every module it is asked for by
    /// descriptor is its own, called directly (tests, tools).
    public init(database: Database, environment: HostEnvironment) {
        givenDatabase = database
        self.environment = environment
        hosted = [:]
        router = nil
        made = Made()
    }

    /// A host of `modules` whose calls go where `router` sends them. The
    /// database may be nil only when none of them has a schema.
    public init(
        database: Database?, environment: HostEnvironment, hosting modules: [ModuleDescriptor], router: ModuleRouter
    ) {
        precondition(
            database != nil || modules.allSatisfy { $0.schema == nil },
            "a host of \(modules.filter { $0.schema != nil }.map(\.name)) needs their database")
        givenDatabase = database
        self.environment = environment
        hosted = Dictionary(modules.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.router = router
        made = Made()
    }

    /// How this process calls the module `interface` declares, hosted here or not.
    public func transport(to interface: ModuleInterface) -> any Transport {
        made.transport(interface.name) {
            let descriptor = hosted[interface.name]
            guard let router else {
                guard let descriptor else {
                    preconditionFailure("\(interface.name) is not hosted here, and this host routes nothing")
                }
                return LocalTransport(table(of: descriptor))
            }
            return router.transport(to: interface, local: descriptor.map(table(of:)))
        }
    }

    /// How this process calls `module`, an extractable one. A host that
    /// routes nothing calls its table directly.
    public func transport(to module: ModuleDescriptor) -> any Transport {
        guard let service = module.service else {
            preconditionFailure("\(module.name) declares no operations: build its facade from its implementation")
        }
        if router == nil {
            return made.transport(module.name) { LocalTransport(table(of: module)) }
        }
        return transport(to: service.interface)
    }

    /// `module`'s operations bound to its implementation in this process:
    /// made on first use, then the same table for every caller (its
    /// transport here, the internal listener, a service's host).
    public func table(of module: ModuleDescriptor) -> OperationTable {
        guard let service = module.service else {
            preconditionFailure("\(module.name) declares no operations: it has no table")
        }
        return made.table(module.name) { service.table(in: self) }
    }

    /// Each module's table and transport, made once per host, whichever copy asks.
    private final class Made: Sendable {
        private let tables = Cells<OperationTable>()
        private let transports = Cells<any Transport>()

        func table(_ module: String, _ make: () -> OperationTable) -> OperationTable {
            tables.cell(module).value(make)
        }

        func transport(_ module: String, _ make: () -> any Transport) -> any Transport {
            transports.cell(module).value(make)
        }
    }

    /// One lazily made value per module. Each has its own lock, taken while
    /// it is made, so making one may ask for another (Orders' table needs
    /// Payments' transport) and a second caller waits for the first's value.
    /// A module whose making asks for itself, directly or around a circle,
    /// is a composition error and never finishes.
    private final class Cells<Value: Sendable>: Sendable {
        private let cells = Mutex<[String: Cell<Value>]>([:])

        func cell(_ module: String) -> Cell<Value> {
            cells.withLock { cells in
                if let cell = cells[module] { return cell }
                let cell = Cell<Value>()
                cells[module] = cell
                return cell
            }
        }
    }

    private final class Cell<Value: Sendable>: Sendable {
        private let made = Mutex<Value?>(nil)

        func value(_ make: () -> Value) -> Value {
            made.withLock { made in
                if let made { return made }
                let value = make()
                made = value
                return value
            }
        }
    }
}
