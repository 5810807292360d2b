import Facade
import Platform

/// The Auth facade as operations: declared once, served in-process by
/// `LocalTransport` and over HTTP by auth-service, called through
/// `AuthClient` either way.
///
/// Passwords travel in `create_tenant`, `login` and `register` requests,
/// never in an answer; neither path logs a body.
public enum AuthOperations {
    public static let createTenant = Operation<CreateTenantRequest, Tenant>("auth.create_tenant")
    /// Not `readOnly` although it writes nothing: a login must never be
    /// mirrored (it costs a password check and mints a token).
    public static let login = Operation<LoginRequest, LoginResult>("auth.login")
    public static let register = Operation<RegisterUserRequest, User>("auth.register")
    public static let user = Operation<UserReference, User>("auth.user", readOnly: true)
    public static let listUsers = Operation<Empty, [User]>("auth.list_users", readOnly: true)
    public static let updateUser = Operation<UpdateUserCommand, User>("auth.update_user")

    /// Every operation above: the table Auth serves must bind exactly these.
    public static let all: [any DeclaredOperation] = [createTenant, login, register, user, listUsers, updateUser]

    /// Reads a problem received over the wire back into `AuthError`.
    public static let decodeError: @Sendable (Problem) -> (any Error)? = { AuthError(problem: $0) }

    /// Auth as any process reaches it, hosted there or not.
    public static let interface = ModuleInterface(name: "auth", operations: all, decodeError: decodeError)
}

public struct UserReference: Codable, Sendable, Equatable {
    public var id: String
    public init(id: String) { self.id = id }
}

/// `updateUser`'s arguments: whom, and what changes.
public struct UpdateUserCommand: Codable, Sendable {
    public var id: String
    public var update: UpdateUserRequest

    public init(id: String, update: UpdateUserRequest) {
        self.id = id
        self.update = update
    }
}
