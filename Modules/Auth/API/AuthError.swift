import Platform

/// Every way an Auth call can fail, as one typed error (see `ModuleError`).
public struct AuthError: ModuleError {
    package enum Kind: String, ModuleErrorKind {
        case invalidCredentials = "invalid_credentials"
        case userDisabled = "user_disabled"
        case usernameTaken = "username_taken"
        case userNotFound = "user_not_found"
        case tenantExists = "tenant_exists"
        case selfModification = "self_modification"
        case invalidInput = "validation_failed"

        package var status: Int {
            switch self {
            case .invalidCredentials: 401
            case .userDisabled: 403
            case .userNotFound: 404
            case .usernameTaken, .tenantExists: 409
            case .selfModification, .invalidInput: 422
            }
        }
    }

    package let kind: Kind
    public let detail: String

    package init(_ kind: Kind, detail: String, extensions _: [String: JSONValue] = [:]) {
        self.kind = kind
        self.detail = detail
    }

    public static let invalidCredentials = AuthError(.invalidCredentials, detail: "Unknown user or wrong password.")
    public static let userDisabled = AuthError(.userDisabled, detail: "This user has been disabled.")
    public static let usernameTaken = AuthError(
        .usernameTaken, detail: "That username is already taken in this restaurant.")
    public static let userNotFound = AuthError(.userNotFound, detail: "No such user.")
    public static let tenantExists = AuthError(.tenantExists, detail: "A tenant with that id already exists.")
    public static let selfModification = AuthError(
        .selfModification, detail: "You cannot change your own role or deactivate yourself.")
}
