import Facade
import Platform
import Synchronization

/// Watches the transports a contract run calls through for the first time a
/// provider refused the caller's service token (401 with one of
/// `ServiceTokenError`'s codes). Once one has, every case fails alike for a
/// reason no case checks — the checker signs with another secret than the
/// provider verifies with — so a runner can stop and say that once, instead
/// of listing the same refusal for every case.
///
///     let refusals = TokenRefusals()
///     let results = suite.run(against: refusals.watching(transport, module: "payments")) { _ in
///         refusals.first != nil
///     }
public final class TokenRefusals: Sendable {
    /// Which module's provider refused, and its problem's code.
    public struct Refusal: Sendable, Equatable {
        public let module: String
        public let code: String
    }

    private let seen = Mutex<Refusal?>(nil)

    public init() {}

    /// The first refusal seen, nil while there was none.
    public var first: Refusal? { seen.withLock { $0 } }

    /// `transport`, which now reports to this watch the refusals of `module`'s provider.
    public func watching(_ transport: any Transport, module: String) -> any Transport {
        Watched(inner: transport, module: module, refusals: self)
    }

    /// The 401 codes a service answers a token it does not accept with; a 403
    /// (tenant or context mismatch) means the token was genuine.
    static let refusalCodes: Set<String> = Set(
        [
            ServiceTokenError.missing, .invalid, .expired, .wrongAudience, .wrongOperation, .bodyMismatch,
        ].map(\.problem.code))

    fileprivate func record(_ problem: Problem, module: String) {
        guard problem.status == 401, Self.refusalCodes.contains(problem.code) else { return }
        seen.withLock { seen in
            if seen == nil { seen = Refusal(module: module, code: problem.code) }
        }
    }

    private struct Watched: Transport {
        let inner: any Transport
        let module: String
        let refusals: TokenRefusals

        func call<Request, Response>(
            _ operation: Operation<Request, Response>, _ context: CallContext, _ request: Request
        ) throws -> Response {
            do {
                return try inner.call(operation, context, request)
            } catch let problem as Problem {
                // No module decoder claims a token refusal: it arrives as the bare problem.
                refusals.record(problem, module: module)
                throw problem
            }
        }
    }
}
