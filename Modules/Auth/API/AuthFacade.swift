import Platform

/// The only way into the Auth module: users, roles, credentials, tenants.
///
/// Every call but `createTenant` and `login` acts for an authenticated caller
/// in `context` and is scoped to `context.tenant`; a user of another tenant
/// is reported exactly as a user that does not exist.
public protocol AuthFacade: Sendable {
    /// Opens a restaurant with its first admin. Operator only (the gateway checks the ops token).
    func createTenant(_ request: CreateTenantRequest) throws -> Tenant
    /// One answer, `invalidCredentials`, for an unknown user and a wrong password.
    func login(tenant: TenantID, _ request: LoginRequest) throws -> LoginResult
    func register(_ context: CallContext, _ request: RegisterUserRequest) throws -> User
    /// Manager or higher, or the user themself; anyone else is refused (`AccessDenied`).
    func user(_ context: CallContext, id: String) throws -> User
    func listUsers(_ context: CallContext) throws -> [User]
    /// Admin only. Disabling a user or changing their role revokes the tokens they hold.
    func updateUser(_ context: CallContext, id: String, _ request: UpdateUserRequest) throws -> User
}
