import ChatbotAPI
import Platform

/// The line between what the user should hear about and what should fail
/// the request.
///
/// A module's typed error under 500 (not found, out of stock, declined,
/// insufficient role, already cancelled) is the user's business: the
/// assistant explains it in a 200 reply. Anything else (a database that is
/// down, a 5xx problem, an error that is not even `ProblemConvertible`) is
/// infrastructure and is rethrown, so the gateway answers it as it answers
/// every other outage.
enum ChatFailure {
    /// The problem to explain to the user, or rethrows `error`.
    static func userProblem(_ error: any Error) throws -> Problem {
        guard let convertible = error as? any ProblemConvertible else { throw error }
        let problem = convertible.problem
        guard problem.status < 500 else { throw error }
        return problem
    }

    /// The `items` extension of a problem (out of stock, unknown items).
    static func items(_ problem: Problem) -> [String] {
        guard case .array(let values)? = problem.extensions["items"] else { return [] }
        return values.compactMap { if case .string(let item) = $0 { item } else { nil } }
    }

    /// The reply for a problem no handler had a better wording for.
    static func reply(_ problem: Problem, intent: ChatIntent) -> ChatReply {
        let text =
            switch problem.code {
            case "insufficient_role": "Sorry, your role does not allow that. \(problem.detail)"
            default: "Sorry, I couldn't do that. \(problem.detail)"
            }
        return ChatReply(intent: intent.name, reply: text, data: .object(["code": .string(problem.code)]))
    }
}
