import Platform

/// Every way an Auth call can fail, as one typed error.
///
/// A struct over a private code so cases can be added without breaking
/// callers; equality is by code. `problem` is its wire form and
/// `init?(problem:)` reads it back, so a remote call throws exactly what
/// the in-process call would.
public struct AuthError: Error, Sendable, Equatable, ProblemConvertible {
    private enum Code: String, Sendable {
        case invalidCredentials = "invalid_credentials"
        case userDisabled = "user_disabled"
        case usernameTaken = "username_taken"
        case userNotFound = "user_not_found"
        case tenantExists = "tenant_exists"
        case selfModification = "self_modification"
        case invalidInput = "validation_failed"
    }

    private let code: Code
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public static let invalidCredentials = AuthError(.invalidCredentials, "Unknown user or wrong password.")
    public static let userDisabled = AuthError(.userDisabled, "This user has been disabled.")
    public static let usernameTaken = AuthError(.usernameTaken, "That username is already taken in this restaurant.")
    public static let userNotFound = AuthError(.userNotFound, "No such user.")
    public static let tenantExists = AuthError(.tenantExists, "A tenant with that id already exists.")
    public static let selfModification = AuthError(
        .selfModification, "You cannot change your own role or deactivate yourself.")
    public static func invalidInput(field: String, reason: String) -> AuthError {
        AuthError(.invalidInput, "\(field): \(reason)")
    }

    public static func == (lhs: AuthError, rhs: AuthError) -> Bool { lhs.code == rhs.code }

    public var problem: Problem {
        let status =
            switch code {
            case .invalidCredentials: 401
            case .userDisabled: 403
            case .userNotFound: 404
            case .usernameTaken, .tenantExists: 409
            case .selfModification, .invalidInput: 422
            }
        return Problem(status: status, code: code.rawValue, detail: detail)
    }

    public init?(problem: Problem) {
        guard let code = Code(rawValue: problem.code) else { return nil }
        self.init(code, problem.detail)
    }
}
