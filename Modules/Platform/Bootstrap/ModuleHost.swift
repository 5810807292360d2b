import Facade
import Postgres

/// A process as host of its modules: the database their pools come from,
/// what it gives them besides (`HostEnvironment`), and how calls reach an
/// extractable module's operations — in the gateway, a transport that picks
/// the table in this process or the module's service, per call, by the
/// tenant's flag. A module's `Module` target builds its facade from it
/// (`PaymentsModule.facade(in:)`), so the host never needs to know which
/// modules are extracted.
public struct ModuleHost: Sendable {
    public let database: Database
    public let environment: HostEnvironment
    private let route: @Sendable (ModuleDescriptor, OperationTable) -> any Transport

    /// - Parameter route: the transport for a module's calls, given its
    ///   table in this process; by default the table itself, called directly
    ///   (a process that routes nothing).
    public init(
        database: Database, environment: HostEnvironment,
        route: @escaping @Sendable (ModuleDescriptor, OperationTable) -> any Transport = { LocalTransport($1) }
    ) {
        self.database = database
        self.environment = environment
        self.route = route
    }

    /// How this process calls `module`, an extractable one: its table, made
    /// here, behind the host's route. Call it once per module.
    public func transport(to module: ModuleDescriptor) -> any Transport {
        guard let service = module.service else {
            preconditionFailure("\(module.name) declares no operations: build its facade from its implementation")
        }
        return route(module, service.table(in: self))
    }
}
