import Platform

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

    public init(module: String, reason: String) {
        self.module = module
        self.reason = reason
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
    }

    public var problem: Problem {
        Problem(
            status: 503, code: ModuleUnavailable.code,
            detail: "The \(module) module is not answering; try again shortly.",
            extensions: ["module": .string(module)])
    }

    public var description: String { "ModuleUnavailable(\(module): \(reason))" }

    private static let code = "module_unavailable"
}
