/// A broken contract rule: what was expected and what the provider did.
///
/// Contract cases throw it instead of using a test framework's assertions,
/// because the same cases run under `swift test` and under
/// `banyan contract` against a deployed service.
public struct ContractFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
