import Dispatch
import Facade
import Foundation
import HTTPServer
import Platform
import Synchronization

/// A one-operation module for the breaker's routing tests: `tally.add`
/// answers which home served it, and each home counts the calls it ran —
/// the in-process table, and a real service over HTTP that can be told to
/// answer, to fail with a 503 of its own machinery, or to hold every call
/// (past the caller's timeout).
enum BreakerTally {
    struct Request: Codable, Sendable, Equatable, ContractSample {
        var key: String
        static let contractSample = Request(key: "k")
    }

    struct Reply: Codable, Sendable, Equatable, ContractSample {
        var servedBy: String
        static let contractSample = Reply(servedBy: "local")
    }

    static let add = Operation<Request, Reply>("tally.add")
    static let interface = ModuleInterface(name: "tally", operations: [add], decodeError: { _ in nil })

    /// How the service answers.
    enum Behaviour: Sendable {
        case answer
        /// A 503 problem that is not the module's: its server, not its domain.
        case fail
        /// Holds each call until `release` (or 5 s), then answers.
        case hold
    }

    /// One home's table and its count of calls run.
    final class Home: Sendable {
        let name: String
        let behaviour: Mutex<Behaviour>
        private let calls = Atomic<Int>(0)
        private let released = DispatchSemaphore(value: 0)

        init(_ name: String, behaviour: Behaviour = .answer) {
            self.name = name
            self.behaviour = Mutex(behaviour)
        }

        var count: Int { calls.load(ordering: .relaxed) }

        func release() { released.signal() }

        var table: OperationTable {
            OperationTable(module: "tally", decodeError: { _ in nil })
                .bind(BreakerTally.add) { [self] _, _ in
                    calls.add(1, ordering: .relaxed)
                    switch behaviour.withLock({ $0 }) {
                    case .answer:
                        break
                    case .fail:
                        throw Problem(status: 503, code: "server_busy", detail: "The server is busy.")
                    case .hold:
                        if released.wait(timeout: .now() + 5) == .success { released.signal() }
                    }
                    return Reply(servedBy: name)
                }
        }
    }

    /// `home` served over HTTP on a free loopback port, as a service (or the monolith's internal listener) would.
    final class Server: Sendable {
        let host: ServiceHost

        init(_ home: Home, secret: [UInt8]) throws {
            var configuration = HTTPServerConfiguration()
            configuration.port = 0
            configuration.workerCount = 4
            configuration.shutdownGracePeriod = 1
            host = ServiceHost(
                table: home.table, verifier: ServiceTokenVerifier(secret: secret, module: "tally"),
                configuration: configuration, ready: { true }, log: .discard)
            try host.start()
        }

        var url: String { "http://127.0.0.1:\(host.port)" }

        func stop() { host.shutdown() }
    }

    static let context = CallContext(tenant: TenantID("cafe")!, requestID: "req-1", idempotencyKey: "key-1")
}
