import Facade
import Platform

/// `AuthFacade` over a `Transport`: the same calls whether Auth runs in this
/// process or in auth-service. Callers never know which.
public struct AuthClient: AuthFacade {
    private let transport: any Transport

    public init(transport: any Transport) { self.transport = transport }

    public func createTenant(_ context: CallContext, _ request: CreateTenantRequest) throws -> Tenant {
        try transport.call(AuthOperations.createTenant, context, request)
    }

    public func login(_ context: CallContext, _ request: LoginRequest) throws -> LoginResult {
        try transport.call(AuthOperations.login, context, request)
    }

    public func register(_ context: CallContext, _ request: RegisterUserRequest) throws -> User {
        try transport.call(AuthOperations.register, context, request)
    }

    public func user(_ context: CallContext, id: String) throws -> User {
        try transport.call(AuthOperations.user, context, UserReference(id: id))
    }

    public func listUsers(_ context: CallContext) throws -> [User] {
        try transport.call(AuthOperations.listUsers, context, Empty())
    }

    public func updateUser(_ context: CallContext, id: String, _ request: UpdateUserRequest) throws -> User {
        try transport.call(AuthOperations.updateUser, context, UpdateUserCommand(id: id, update: request))
    }
}
