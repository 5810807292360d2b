import Facade
import Foundation
import HTTPClient
import HTTPServer
import Platform
import Synchronization
import Testing

/// The echo table served by a real `ServiceHost` on a free port, with an
/// `HTTPTransport` pointed at it. A suite that needs one in every test owns
/// it (made in `init`, shut down in `deinit`); a lone test borrows one with
/// `withEchoService`.
final class EchoService: Sendable {
    static let secret = Array("facade-tests-secret-of-at-least-32-bytes".utf8)
    static let tokens = ServiceTokenIssuer(secret: secret)

    let table: OperationTable
    let host: ServiceHost
    let readiness = Readiness()

    init(table: OperationTable = EchoModule.table(), log: Log = .discard) throws {
        self.table = table
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.workerCount = 4
        configuration.shutdownGracePeriod = 3
        let readiness = self.readiness
        host = ServiceHost(
            table: table, verifier: ServiceTokenVerifier(secret: EchoService.secret, module: "echo"),
            configuration: configuration, ready: { readiness.isReady.load(ordering: .relaxed) }, log: log)
        try host.start()
    }

    var baseURL: String { "http://127.0.0.1:\(host.port)" }

    func transport(connectTimeout: Double = 1, totalTimeout: Double = 5) -> HTTPTransport {
        HTTPTransport(
            module: "echo", baseURL: baseURL, tokens: EchoService.tokens, decodeError: table.decodeError,
            connectTimeout: connectTimeout, totalTimeout: totalTimeout)
    }

    func transport(_ path: FacadePath) -> any Transport {
        switch path {
        case .local: LocalTransport(table)
        case .http: transport()
        }
    }

    func shutdown() { host.shutdown() }

    /// A raw request to the host, for what a transport would never send.
    func send(
        _ method: String, _ path: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil
    ) throws -> HTTPClientResponse {
        try HTTPClient.shared.send(method: method, url: baseURL + path, headers: headers, body: body, totalTimeout: 5)
    }

    /// `POST /operations/{operation}` with `body` and the headers
    /// `HTTPTransport` sends, carrying `token`, else one signed for exactly
    /// this call; `edit` changes the headers first.
    func post(
        _ operation: String, _ body: String, context: CallContext = Fixtures.context(), token: String? = nil,
        edit: (inout [(name: String, value: String)]) -> Void = { _ in }
    ) throws -> HTTPClientResponse {
        var headers = EchoService.headers(context, token: token ?? EchoService.token(operation, body, context: context))
        edit(&headers)
        return try send("POST", "/operations/" + operation, headers: headers, body: Array(body.utf8))
    }

    /// A service token for calling `operation` with `body`, as the transport signs it.
    static func token(
        _ operation: String, _ body: String, context: CallContext = Fixtures.context(), module: String = "echo",
        now: Int = Int(Date().timeIntervalSince1970)
    ) -> String {
        tokens.token(module: module, operation: operation, body: Array(body.utf8), context: context, now: now)
    }

    /// The headers `HTTPTransport` sends for `context`, with `token`.
    static func headers(_ context: CallContext, token: String) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("authorization", "Bearer " + token),
            ("x-tenant-id", context.tenant.value), ("x-request-id", context.requestID),
            ("content-type", "application/json"),
        ]
        if let user = context.userID { headers.append(("x-user-id", user)) }
        if let role = context.role { headers.append(("x-role", role.rawValue)) }
        if let deadline = context.deadline {
            headers.append(("x-deadline", String(Int64((deadline.timeIntervalSince1970 * 1000).rounded()))))
        }
        return headers
    }
}

/// Runs `body` against a fresh `EchoService` and always shuts it down.
func withEchoService<Result>(_ body: (EchoService) throws -> Result) throws -> Result {
    let service = try EchoService()
    defer { service.shutdown() }
    return try body(service)
}

/// What the host's `/ready` answers; tests flip it.
final class Readiness: Sendable {
    let isReady = Atomic<Bool>(true)
}

/// The two ways a call reaches the echo module.
enum FacadePath: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case local, http
    var testDescription: String { rawValue }
}

enum Fixtures {
    static let tenant = TenantID("demo-bistro")!

    static func context(
        role: Role? = .manager, userID: String? = "user-7", deadline: Date? = nil
    ) -> CallContext {
        CallContext(
            tenant: tenant, userID: userID, role: role, requestID: "req-\(UUID().uuidString.prefix(8))",
            idempotencyKey: "order-42-charge", traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            deadline: deadline)
    }

    /// A time in the future on a whole millisecond, so it survives the
    /// `x-deadline` header (unix milliseconds) unchanged.
    static func deadline(in seconds: Double) -> Date {
        Date(timeIntervalSince1970: ((Date().timeIntervalSince1970 + seconds) * 1000).rounded() / 1000)
    }

    static func json(_ text: String) -> [UInt8] { Array(text.utf8) }
}
