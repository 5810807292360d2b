import Platform

/// The only way into the Auth module: users, roles, credentials, tenants.
///
/// Every call is scoped to `context.tenant`, like every other module's, so
/// one flag per tenant routes all of them; a user of another tenant is
/// reported exactly as a user that does not exist. Two calls have no user
/// behind them yet: `createTenant` is Banyan's own (`CallContext.system`)
/// for the tenant it opens, and `login` is anonymous.
public protocol AuthFacade: Sendable {
    /// Opens the restaurant `context.tenant` with its first admin. Banyan's own
    /// call, made by the gateway for an operator (it checks the ops token):
    /// `context` is `CallContext.system(tenant:…)` for the tenant being opened,
    /// which `request.tenantID` must name too; anything less than an admin is
    /// refused (`AccessDenied`).
    func createTenant(_ context: CallContext, _ request: CreateTenantRequest) throws -> Tenant
    /// Anonymous: `context` names the tenant and nobody in it. One answer,
    /// `invalidCredentials`, for an unknown user and a wrong password.
    func login(_ context: CallContext, _ request: LoginRequest) throws -> LoginResult
    /// Admin only.
    func register(_ context: CallContext, _ request: RegisterUserRequest) throws -> User
    /// Manager or higher, or the user themself; anyone else is refused (`AccessDenied`).
    func user(_ context: CallContext, id: String) throws -> User
    /// Manager or higher.
    func listUsers(_ context: CallContext) throws -> [User]
    /// Admin only. Disabling a user or changing their role revokes the tokens they hold.
    func updateUser(_ context: CallContext, id: String, _ request: UpdateUserRequest) throws -> User
}
