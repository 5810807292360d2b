/// What a process gives the modules it hosts besides their database, under
/// the modules' own `HostKey`s, so Platform knows no module's types: `main`
/// (the gateway's, every service's) builds one from the process's
/// configuration, once; tests build one by hand with what they script.
///
///     let host = HostEnvironment().with(PaymentsModule.cardProcessor, ScriptedProcessor(…))
///     let gateway = Gateway(…, host: host)
public struct HostEnvironment: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]

    /// Every key at its default.
    public init() {}

    /// What each of `modules` reads from the process's configuration
    /// (environment variables, `.env`): call it in `main`.
    public init(configuredBy modules: [ModuleDescriptor]) {
        for module in modules { module.configure(&self) }
    }

    /// The value given for `key`, else the key's default.
    public subscript<Value>(key: HostKey<Value>) -> Value {
        get { values[ObjectIdentifier(key)] as? Value ?? key.defaultValue }
        set { values[ObjectIdentifier(key)] = newValue }
    }

    /// This environment with `value` under `key`.
    public func with<Value>(_ key: HostKey<Value>, _ value: Value) -> HostEnvironment {
        var copy = self
        copy[key] = value
        return copy
    }
}
