/// One thing a module needs from the process that hosts it, beyond its
/// database: Payments' card processor, say. The module declares the key,
/// with the value it gets when its host gives none; hosts put values under
/// it in a `HostEnvironment`.
///
///     public static let cardProcessor = HostKey<any CardProcessor>(default: SimulatedCardProcessor())
///
/// Keys compare by identity: declare each once, as a `static let`.
public final class HostKey<Value: Sendable>: Sendable {
    /// A plain value, never read from the environment: that is `main`'s job.
    public let defaultValue: Value

    public init(default defaultValue: Value) {
        self.defaultValue = defaultValue
    }
}
