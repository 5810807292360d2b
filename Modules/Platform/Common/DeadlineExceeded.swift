/// 504 `deadline_exceeded`: the call's `CallContext.deadline` had passed
/// before the module started on it, so nothing was done. Both transports
/// throw it the same way, so a caller cannot tell the paths apart by it.
public struct DeadlineExceeded: Error, Sendable, Equatable, ProblemConvertible {
    public init() {}

    public init?(problem: Problem) {
        guard problem.code == DeadlineExceeded.code else { return nil }
    }

    public var problem: Problem {
        Problem(status: 504, code: DeadlineExceeded.code, detail: "The request's deadline passed before the work began.")
    }

    private static let code = "deadline_exceeded"
}
