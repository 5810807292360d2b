/// 403 `insufficient_role`: the caller is known but their role is too low.
public struct AccessDenied: Error, Sendable, Equatable, ProblemConvertible {
    public let needed: Role

    public init(needed: Role) { self.needed = needed }

    /// The refusal a remote module sent back, so both facade paths throw the same error.
    public init?(problem: Problem) {
        guard problem.code == AccessDenied.code else { return nil }
        if case .string(let name)? = problem.extensions["needed_role"], let role = Role(rawValue: name) {
            needed = role
        } else {
            // A problem without the member (an older service): the role is named in the detail.
            guard let role = Role.allCases.first(where: { problem.detail.contains("the \($0.rawValue) role") })
            else { return nil }
            needed = role
        }
    }

    public var problem: Problem {
        Problem(
            status: 403, code: AccessDenied.code, detail: "This action needs the \(needed.rawValue) role or higher.",
            extensions: ["needed_role": .string(needed.rawValue)])
    }

    private static let code = "insufficient_role"
}
