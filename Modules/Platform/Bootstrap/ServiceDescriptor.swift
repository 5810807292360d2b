import Contract
import Facade
import Platform

/// What makes a module extractable: the operations its API declares, how to
/// bind them to its implementation (one table serves in-process calls and,
/// in its service executable, HTTP), how a caller reads its errors back from
/// the wire, where its service listens, and the contract any provider of its
/// facade must keep.
public struct ServiceDescriptor: Sendable {
    /// The product serving it (`payments-service`), built beside `banyan`.
    public let executable: String
    /// Where that service listens unless told otherwise (`--port`, `BANYAN_SERVICE_PORT`).
    public let defaultPort: Int
    /// Every operation its API declares, with its contract shapes, by name: its table must bind exactly these.
    public let operations: [OperationDescription]
    /// The cases any provider of its facade must pass, with the client that reaches one.
    public let contract: ContractSuite
    private let moduleDecoder: @Sendable (Problem) -> (any Error)?
    private let makeTable: @Sendable (ModuleHost) -> OperationTable

    /// - Parameters:
    ///   - operations: the API's list of what it declares (`PaymentsOperations.all`).
    ///   - decodeError: the module's own error for a problem; nil when the code is not the module's.
    ///   - table: the module's implementation in `host`, bound to its operations.
    public init(
        executable: String, defaultPort: Int, operations: [any DeclaredOperation],
        decodeError: @escaping @Sendable (Problem) -> (any Error)?, contract: ContractSuite,
        table: @escaping @Sendable (ModuleHost) -> OperationTable
    ) {
        self.executable = executable
        self.defaultPort = defaultPort
        self.operations = operations.map(\.operationDescription).sorted { $0.name < $1.name }
        self.contract = contract
        self.moduleDecoder = decodeError
        self.makeTable = table
    }

    /// Its operations bound to its implementation over `host`'s database,
    /// with what `host` gives it. A new table each time: make one per process.
    public func table(in host: ModuleHost) -> OperationTable { makeTable(host) }

    /// The typed error a problem from its service stands for: the module's
    /// own, then Platform's, else the problem itself.
    public func decodeError(_ problem: Problem) -> any Error {
        OperationTable.decodeError(problem, moduleDecoder: moduleDecoder)
    }
}
