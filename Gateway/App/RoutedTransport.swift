import Facade
import Flags
import Platform
import Synchronization

/// A module's transport in the gateway: per call, the tenant's flag in the
/// current flags snapshot picks the in-process table or the module's
/// service. Reading the snapshot takes no lock; only the service path looks
/// up (and caches) the HTTP transport for the URL the snapshot names.
package final class RoutedTransport: Transport {
    package let module: String
    private let local: LocalTransport
    private let flags: FlagsStore
    private let tokens: ServiceTokenIssuer
    private let decodeError: @Sendable (Problem) -> any Error
    private let timeouts: (connect: Double, total: Double)
    private let remotes = Mutex<[String: HTTPTransport]>([:])
    /// Shared by every service URL of this module: the cap is on the module.
    private let bulkhead: Bulkhead

    package init(
        module: String, table: OperationTable, flags: FlagsStore, tokens: ServiceTokenIssuer,
        connectTimeout: Double, totalTimeout: Double, bulkhead: Bulkhead
    ) {
        self.module = module
        self.local = LocalTransport(table)
        self.flags = flags
        self.tokens = tokens
        self.decodeError = { table.decodeError($0) }
        self.timeouts = (connectTimeout, totalTimeout)
        self.bulkhead = bulkhead
    }

    package func call<Request, Response>(
        _ operation: Operation<Request, Response>, _ context: CallContext, _ request: Request
    ) throws -> Response {
        let (route, url) = flags.resolve(module: module, tenant: context.tenant.value)
        switch route {
        case .inProcess:
            RouteTrace.record(module: module, route: ModuleRoute.inProcess.rawValue)
            return try local.call(operation, context, request)
        case .service:
            RouteTrace.record(module: module, route: ModuleRoute.service.rawValue)
            guard let url else {
                // The parser refuses such a file; kept as a typed failure, never a crash.
                throw ModuleUnavailable(module: module, reason: "no service URL in flags", neverReached: true)
            }
            let transport = remote(url)
            return try bulkhead.run { try transport.call(operation, context, request) }
        }
    }

    private func remote(_ url: String) -> HTTPTransport {
        remotes.withLock { remotes in
            if let transport = remotes[url] { return transport }
            let transport = HTTPTransport(
                module: module, baseURL: url, tokens: tokens, decodeError: decodeError,
                connectTimeout: timeouts.connect, totalTimeout: timeouts.total)
            remotes[url] = transport
            return transport
        }
    }
}
