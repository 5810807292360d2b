/// 503 `module_unavailable`: the transport got no usable answer from the
/// module (refused, timed out, a reply that was not the contract's).
///
/// Never a domain error and never a success: the caller cannot know whether
/// a write happened, so it retries with the same idempotency key or
/// compensates. `reason` is for logs; the problem names only the module.
public struct ModuleUnavailable: Error, Sendable, Equatable, ProblemConvertible, CustomStringConvertible {
    public let module: String
    /// What went wrong on the way, e.g. `connection refused`, `timed out`, `malformed reply`.
    public let reason: String
    /// True only when a write surely never reached the module (its own fresh
    /// connection was refused or not made in time): nothing can have
    /// happened there, so a caller may undo its own steps at once. False
    /// whenever the outcome is unknown (timed out after sending, a garbled
    /// reply, an outage reported by a service).
    public let neverReached: Bool

    public init(module: String, reason: String, neverReached: Bool = false) {
        self.module = module
        self.reason = reason
        self.neverReached = neverReached
    }

    /// A service passing on that a module it called was unavailable.
    public init?(problem: Problem) {
        guard problem.code == ModuleUnavailable.code else { return nil }
        if case .string(let module)? = problem.extensions["module"] {
            self.module = module
        } else {
            self.module = ""
        }
        reason = "reported by the service"
        // The service itself was reached and did its part: unknown outcome.
        neverReached = false
    }

    /// With `"reached": false` when `neverReached`, so a client learns the
    /// module was never reached. Code in Banyan reads `neverReached` instead.
    public var problem: Problem {
        var extensions: [String: JSONValue] = ["module": .string(module)]
        if neverReached { extensions[ModuleUnavailable.reachedMember] = .bool(false) }
        return Problem(
            status: 503, code: ModuleUnavailable.code,
            detail: "The \(module) module is not answering; try again shortly.",
            extensions: extensions)
    }

    public var description: String { "ModuleUnavailable(\(module): \(reason))" }

    private static let code = "module_unavailable"
    private static let reachedMember = "reached"
}
