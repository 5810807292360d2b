import Platform
import Signals
import Synchronization

/// A module's operations bound to their handlers: built once, at start,
/// then shared by both paths. `LocalTransport` calls the handlers directly;
/// `ServiceHost` serves the same table over HTTP; `contract` describes it.
///
///     let table = OperationTable(module: "payments", decodeError: { PaymentsError(problem: $0) })
///         .bind(PaymentsOperations.charge) { context, request in try service.charge(context, request) }
///
/// Bind every operation before the table is used: a `LocalTransport` or a
/// `ServiceHost` made from it freezes it. Binding after that, binding an
/// operation twice, or one of another module, is a programming error and
/// stops the process.
public final class OperationTable: Sendable {
    public let module: String
    /// Where both transports measure this table's calls (`GET /admin/modules`): empty, so unmeasured,
    /// until the process serving the table attaches its module's meter.
    public let meter = MeterSlot()
    private let moduleDecoder: @Sendable (Problem) -> (any Error)?

    struct Bindings: Sendable {
        /// By `Operation.index`: a call finds its handler without hashing a name.
        var byIndex: [(any OperationBinding)?] = []
        var byName: [String: any OperationBinding] = [:]
        /// Set once a transport or host took its copy: later binds would be lost on it.
        var isFrozen = false
    }
    // Written only while binding. Calls never take this lock: the transports
    // work from the copy `freeze()` hands them.
    private let bindings = Mutex(Bindings())

    /// - Parameter decodeError: turns a problem received over the wire back
    ///   into the module's typed error; nil when the code is not the module's.
    public init(module: String, decodeError: @escaping @Sendable (Problem) -> (any Error)?) {
        self.module = module
        self.moduleDecoder = decodeError
    }

    /// Binds `operation` to `handler`. The JSON shapes of its request's and
    /// response's `contractSample`s are the operation's contract (see `contract`).
    @discardableResult
    public func bind<Request: ContractSample, Response: ContractSample>(
        _ operation: Operation<Request, Response>, _ handler: @escaping @Sendable (CallContext, Request) throws -> Response
    ) -> OperationTable {
        precondition(
            operation.module == module, "operation \(operation.name) does not belong to module \(module)")
        let binding = TypedBinding(operation, sample: (Request.contractSample, Response.contractSample), handler: handler)
        bindings.withLock { bindings in
            precondition(!bindings.isFrozen, "bind \(operation.name) before making a transport or host of the table")
            precondition(bindings.byName[operation.name] == nil, "operation \(operation.name) is bound twice")
            if bindings.byIndex.count <= operation.index {
                bindings.byIndex += Array(repeating: nil, count: operation.index + 1 - bindings.byIndex.count)
            }
            bindings.byIndex[operation.index] = binding
            bindings.byName[operation.name] = binding
        }
        return self
    }

    /// What this table serves, with a fingerprint that changes whenever an
    /// operation, a key or a type does.
    public var contract: ContractDescription {
        let operations = bindings.withLock { $0.byName.values.map(\.operationDescription) }
        return ContractDescription(module: module, operations: operations)
    }

    /// The typed error `problem` stands for: the module's own, then
    /// Platform's (`AccessDenied`, `DeadlineExceeded`, `ModuleUnavailable`),
    /// else the `Problem` itself.
    public func decodeError(_ problem: Problem) -> any Error {
        OperationTable.decodeError(problem, moduleDecoder: moduleDecoder)
    }

    /// The same decoding for a caller that has the module's decoder but not
    /// its table (a gateway building an `HTTPTransport`).
    public static func decodeError(_ problem: Problem, moduleDecoder: (Problem) -> (any Error)?) -> any Error {
        if let error = moduleDecoder(problem) { return error }
        if let error = AccessDenied(problem: problem) { return error }
        if let error = DeadlineExceeded(problem: problem) { return error }
        if let error = ModuleUnavailable(problem: problem) { return error }
        return problem
    }

    /// Every binding, for a transport or a host to serve from; no bind is accepted after.
    func freeze() -> Bindings {
        bindings.withLock { bindings in
            bindings.isFrozen = true
            return bindings
        }
    }
}
