/// How one contract case went against one provider.
public struct ContractResult: Sendable, Equatable {
    public let name: String
    /// Why it failed: the broken rule's message, or the unexpected error;
    /// nil when the case passed.
    public let failure: String?
    /// Wall-clock seconds the case took.
    public let seconds: Double

    public init(name: String, failure: String?, seconds: Double) {
        self.name = name
        self.failure = failure
        self.seconds = seconds
    }

    public var passed: Bool { failure == nil }
}
