/// 503 `module_busy`: this process already has as many calls in flight to
/// the module's service as its bulkhead allows, so the call was not sent.
///
/// Like a refused connection it proves the module was never reached
/// (`"reached": false`), so a saga may undo its own steps at once; unlike
/// one it says the service is slow, not down. `Retry-After` is one second.
/// Only this process's own bulkhead throws it: a service that passes one on
/// was itself reached, so its caller sees `ModuleUnavailable` instead.
public struct ModuleBusy: Error, Sendable, Equatable, ProblemConvertible {
    public let module: String

    public init(module: String) { self.module = module }

    public init?(problem: Problem) {
        guard problem.code == ModuleBusy.code else { return nil }
        guard case .string(let module)? = problem.extensions["module"] else { return nil }
        self.module = module
    }

    public var problem: Problem {
        Problem(
            status: 503, code: ModuleBusy.code,
            detail: "The \(module) module is busy with other calls; try again shortly.",
            extensions: ["module": .string(module), "reached": .bool(false), "retry_after": .int(1)])
    }

    private static let code = "module_busy"
}
