import Postgres

/// One module of Banyan as every process and tool sees it, declared once in
/// the module's own `Module` target (`PaymentsModule.descriptor`) and listed
/// once in `ModuleRegistry`. The gateway migrates its schema, delivers its
/// events and routes its operations; `banyan` checks its contract, prints
/// its role's password and lists its service for `scripts/up`; the tests
/// check all of it — each by reading descriptors, never by naming modules.
///
///     public static let descriptor = ModuleDescriptor(
///         name: "inventory", schema: InventorySchema.module, publishesEvents: true,
///         service: ServiceDescriptor(executable: "inventory-service", defaultPort: 4003, …))
public struct ModuleDescriptor: Sendable {
    /// Its schema's name, its operations' prefix (`payments.charge`), its key in flags.json.
    public let name: String
    /// Its share of the database; nil for a module that owns no data
    /// (Chatbot): its service opens no database at all.
    public let schema: ModuleSchema?
    /// Whether its schema has an outbox whose events the host's dispatcher delivers.
    public let publishesEvents: Bool
    /// How it runs in a service of its own, routed per tenant by flags.json;
    /// nil while it runs in the monolith only.
    public let service: ServiceDescriptor?
    /// The settings its `configure` reads that every instance of a cluster
    /// must be given alike (Auth: `JWT_SECRET_KEY`): with `BANYAN_CLUSTER=1`
    /// a process hosting the module refuses to start without them.
    public let sharedSettings: [String]
    /// Reads what the module needs from the process's configuration into a host environment.
    let configure: @Sendable (inout HostEnvironment) -> Void

    /// - Parameter configure: reads the module's own settings (Payments:
    ///   `PAYMENT_GATEWAY_URL`) into the host environment; called once at
    ///   start, in `main`, by `HostEnvironment(configuredBy:)`. Tests set
    ///   values themselves instead.
    public init(
        name: String, schema: ModuleSchema?, publishesEvents: Bool = false, service: ServiceDescriptor? = nil,
        sharedSettings: [String] = [], configure: @escaping @Sendable (inout HostEnvironment) -> Void = { _ in }
    ) {
        precondition(schema.map { $0.name == name } ?? true, "module \(name) must own the schema of its name")
        precondition(
            service.map { $0.interface.name == name } ?? true, "module \(name) must declare the interface of its name")
        self.name = name
        self.schema = schema
        self.publishesEvents = publishesEvents
        self.service = service
        self.sharedSettings = sharedSettings
        self.configure = configure
    }
}
