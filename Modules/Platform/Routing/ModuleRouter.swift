import Facade
import Flags
import Platform

/// How one Banyan process routes its outgoing module calls: every process —
/// the gateway and each service — holds one, over the same flags.json.
///
/// Each module has, per tenant, one home: `in-process` (the monolith) or
/// `service`. A call runs here when this process hosts the module and is its
/// home; otherwise it goes over HTTP to the home — the module's service URL
/// in flags.json, or the monolith's internal listener (`monolithURL`). A
/// service process serves its own module itself whatever the flags say, so a
/// call that reached the process hosting its module is never sent on: two
/// processes that disagree during a flip still run it exactly once.
///
///     let router = ModuleRouter(flags: flags, calls: calls, placement: .service(module: "orders"),
///                               monolithURL: "http://127.0.0.1:8001")
///     let payments = router.transport(to: PaymentsOperations.interface, local: nil)
public final class ModuleRouter: Sendable {
    /// Which process this is, as routing sees it.
    public enum Placement: Sendable, Equatable {
        /// The monolith (the gateway): the in-process home of every module it hosts.
        case monolith
        /// A service executable serving `module`: it hosts that one alone.
        case service(module: String)
        /// A process that hosts no module and only calls them (`banyan
        /// contract`, a test standing in for a client): every call goes to
        /// its home, the in-process one at the monolith's internal listener.
        case client
    }

    /// Where a service finds the monolith's internal listener unless told otherwise (`BANYAN_MONOLITH_URL`).
    public static let defaultMonolithURL = "http://127.0.0.1:8001"

    public let placement: Placement
    public let flags: FlagsStore
    /// The monolith's internal listener; nil in the monolith itself.
    public let monolithURL: String?
    private let calls: ServiceCalls
    private let tokens: ServiceTokenIssuer
    /// The monolith's compatibility gate, when it has one.
    public let gate: ServiceGate?
    /// The circuit breakers of every module service this process calls, shared by its transports.
    public let breakers: CircuitBreakers
    /// Where the monolith mirrors shadowed reads; nil elsewhere.
    package let shadow: ShadowMirror?

    /// - Parameters:
    ///   - flags: this process's flags.json, watched (the caller starts and stops it).
    ///   - calls: timeouts, bulkhead and the service-token secret of remote calls.
    ///   - monolithURL: for a service or a client, the monolith's internal listener; ignored in the monolith.
    ///   - gate: in the monolith, keeps tenants off services found incompatible (`ServiceGate`).
    ///   - breakers: this process's circuit breakers; tests pass theirs, with a clock they move.
    public convenience init(
        flags: FlagsStore, calls: ServiceCalls, placement: Placement, monolithURL: String? = nil, gate: ServiceGate? = nil,
        breakers: CircuitBreakers = CircuitBreakers()
    ) {
        self.init(
            flags: flags, calls: calls, placement: placement, monolithURL: monolithURL, gate: gate, breakers: breakers,
            shadow: nil)
    }

    /// As above, and in the monolith `shadow` mirrors the reads of tenants
    /// homed in `shadow` (`ShadowMirror`); without one they are served
    /// in-process only.
    package init(
        flags: FlagsStore, calls: ServiceCalls, placement: Placement, monolithURL: String? = nil, gate: ServiceGate? = nil,
        breakers: CircuitBreakers = CircuitBreakers(), shadow: ShadowMirror?
    ) {
        self.breakers = breakers
        self.flags = flags
        self.gate = placement == .monolith ? gate : nil
        self.shadow = placement == .monolith ? shadow : nil
        self.calls = calls
        self.placement = placement
        self.monolithURL = placement == .monolith ? nil : monolithURL
        tokens = ServiceTokenIssuer(secret: calls.secret)
    }

    /// The transport for this process's calls to the module `interface`
    /// declares, given this process's table of it (nil when it hosts none).
    /// Make one per module and process: the module's bulkhead lives in it.
    public func transport(to interface: ModuleInterface, local table: OperationTable?) -> any Transport {
        switch placement {
        case .service(let own) where own == interface.name:
            guard let table else { preconditionFailure("the \(own) service must host its own module") }
            return LocalTransport(table)
        case .service, .client:
            return routed(interface, local: nil)
        case .monolith:
            return routed(interface, local: table)
        }
    }

    /// One transport for the operations of every module in `interfaces`, each
    /// routed as `transport(to:local:)` routes it: how a client that hosts
    /// none of them reaches them all.
    public func transport(to interfaces: [ModuleInterface]) -> ModuleSwitch {
        ModuleSwitch(Dictionary(uniqueKeysWithValues: interfaces.map { ($0.name, transport(to: $0, local: nil)) }))
    }

    private func routed(_ interface: ModuleInterface, local: OperationTable?) -> RoutedTransport {
        RoutedTransport(
            interface: interface, local: local, monolithURL: monolithURL, flags: flags, tokens: tokens,
            connectTimeout: calls.connectTimeout, totalTimeout: calls.totalTimeout,
            bulkhead: Bulkhead(module: interface.name, limit: calls.maxInFlight), gate: gate, breakers: breakers,
            shadow: shadow)
    }
}
