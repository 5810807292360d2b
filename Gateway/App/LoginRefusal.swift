import Platform

/// A login turned away before its password was checked: 429 with
/// `retry_after` (whole seconds, at least 1), which the request pipeline also
/// sends as `Retry-After`, so well-behaved clients back off instead of hammering.
struct LoginRefusal: Error, Sendable, ProblemConvertible {
    let problem: Problem

    private init(_ code: String, _ detail: String, retryAfter seconds: Double) {
        let retryAfter = max(1, Int(seconds.rounded(.up)))
        problem = Problem(
            status: 429, code: code, detail: detail, extensions: ["retry_after": .int(Int64(retryAfter))])
    }

    /// Too many failed passwords for one username: it is locked until its window ends, right password or not.
    static func tooManyFailures(retryAfter: Double) -> LoginRefusal {
        LoginRefusal(
            "too_many_attempts", "Too many failed logins for this user; try again later.", retryAfter: retryAfter)
    }

    /// Too many attempts from one client address.
    static func tooManyFromAddress(retryAfter: Double) -> LoginRefusal {
        LoginRefusal("too_many_attempts", "Too many logins from this address; try again later.", retryAfter: retryAfter)
    }

    /// Every password-check slot is taken: a flood is going on.
    static let busy = LoginRefusal("too_many_logins", "Too many logins at once; try again in a moment.", retryAfter: 1)
}
