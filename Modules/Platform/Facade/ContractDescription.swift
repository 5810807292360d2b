import Platform
import Security

/// What a module's operation table serves, as `GET /contract` answers it:
/// the operations with the JSON shapes of their requests and responses,
/// and a fingerprint of all of it.
///
/// Two providers with the same fingerprint accept and answer the same JSON;
/// where they differ, `ContractCompatibility` tells whether the service
/// still serves what a caller's description expects.
public struct ContractDescription: Codable, Sendable, Equatable {
    public var module: String
    /// Sorted by name.
    public var operations: [OperationDescription]
    /// SHA-256 (lower-case hex) of the module name and every operation's
    /// name, read-only flag, shapes and optional and closed paths
    /// (`OperationDescription.canonical`).
    public var fingerprint: String

    public init(module: String, operations: [OperationDescription]) {
        self.module = module
        self.operations = operations.sorted { $0.name < $1.name }
        var canonical = "module \(module)\n"
        for operation in self.operations { canonical += operation.canonical }
        fingerprint = Hex.encode(Digest.sha256(Array(canonical.utf8)))
    }
}
