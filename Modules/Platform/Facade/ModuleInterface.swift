import Platform

/// A module as a caller sees it, declared once in its API target: its name,
/// the operations it declares, and how its errors come back from the wire.
/// Enough to reach the module from any process — through its table when the
/// process hosts it, over HTTP when it does not — without linking its Core.
///
///     public static let interface = ModuleInterface(
///         name: "payments", operations: all, decodeError: { PaymentsError(problem: $0) })
public struct ModuleInterface: Sendable {
    /// Its key in flags.json and the prefix of its operations (`payments.charge`).
    public let name: String
    /// Every operation it declares, with its contract shapes, sorted by name.
    public let operations: [OperationDescription]
    /// Key names of answer fields that legitimately differ from one call to
    /// the next (a time stamped when the answer is made), which shadowing
    /// ignores when it compares the in-process and service answers: any
    /// object member with such a key, at any depth. Empty for a module whose
    /// reads return stored values only, which is every module so far.
    public let volatileFields: Set<String>
    private let moduleDecoder: @Sendable (Problem) -> (any Error)?

    /// - Parameters:
    ///   - operations: every operation the API declares; each must belong to `name`.
    ///   - decodeError: the module's own error for a problem; nil when the code is not the module's.
    ///   - volatileFields: key names shadow comparisons skip (see `volatileFields`).
    public init(
        name: String, operations: [any DeclaredOperation], decodeError: @escaping @Sendable (Problem) -> (any Error)?,
        volatileFields: Set<String> = []
    ) {
        let described = operations.map(\.operationDescription).sorted { $0.name < $1.name }
        for operation in described {
            precondition(
                Operation<Empty, Empty>.module(of: operation.name) == name,
                "operation \(operation.name) does not belong to module \(name)")
        }
        self.name = name
        self.operations = described
        self.volatileFields = volatileFields
        self.moduleDecoder = decodeError
    }

    /// The typed error a problem from a remote provider stands for: the
    /// module's own, then Platform's, else the problem itself.
    public func decodeError(_ problem: Problem) -> any Error {
        OperationTable.decodeError(problem, moduleDecoder: moduleDecoder)
    }
}
