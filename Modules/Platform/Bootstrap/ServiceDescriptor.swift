import Contract
import Facade
import Platform

/// What makes a module extractable: its interface (the operations its API
/// declares and how a caller reads its errors back from the wire), how to
/// bind those operations to its implementation (one table serves in-process
/// calls and, in its service executable or the gateway's internal listener,
/// HTTP), where its service listens, and the contract any provider of its
/// facade must keep.
public struct ServiceDescriptor: Sendable {
    /// The product serving it (`payments-service`), built beside `banyan`.
    public let executable: String
    /// Where that service listens unless told otherwise (`--port`, `BANYAN_SERVICE_PORT`).
    public let defaultPort: Int
    /// The module as its API declares it: what any process needs to call it.
    public let interface: ModuleInterface
    /// The cases any provider of its facade must pass, with the client that reaches one.
    public let contract: ContractSuite
    private let makeTable: @Sendable (ModuleHost) -> OperationTable

    /// - Parameters:
    ///   - interface: the API's declaration (`PaymentsOperations.interface`).
    ///   - table: the module's implementation in `host`, bound to its operations.
    public init(
        executable: String, defaultPort: Int, interface: ModuleInterface, contract: ContractSuite,
        table: @escaping @Sendable (ModuleHost) -> OperationTable
    ) {
        self.executable = executable
        self.defaultPort = defaultPort
        self.interface = interface
        self.contract = contract
        self.makeTable = table
    }

    /// Every operation its API declares, with its contract shapes, by name: its table must bind exactly these.
    public var operations: [OperationDescription] { interface.operations }

    /// Its operations bound to its implementation over `host`'s database,
    /// with what `host` gives it. A new table each time: a process gets its
    /// one table per module from `ModuleHost.table(of:)`.
    public func table(in host: ModuleHost) -> OperationTable { makeTable(host) }

    /// The typed error a problem from its service stands for: the module's
    /// own, then Platform's, else the problem itself.
    public func decodeError(_ problem: Problem) -> any Error {
        interface.decodeError(problem)
    }
}
