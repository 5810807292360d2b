import AuthAPI
import Contract
import Foundation
import Platform

/// What any provider of `AuthFacade` must do, written once: the Auth module
/// in this process, `auth-service` started by the tests, and a deployed
/// service checked by `banyan contract auth`.
///
/// Every case opens tenants of its own (the environment's two fresh ids), so
/// the suite can run against a service that already holds data, and cases
/// can run in parallel. Callers are built as the gateway builds them: the
/// operator's call is Banyan's own for the tenant it opens, a login is
/// anonymous, everything else carries the id and role a login gave.
public enum AuthContract {
    public typealias Case = ContractCase<any AuthFacade>

    /// Every case, in the order `banyan contract auth` runs them.
    public static let cases: [Case] = tenants + logins + staff + revocation + isolation

    static let ownerPassword = "owner-password-1"
    static let staffPassword = "staff-password-1"

    /// Banyan's own call opening `tenant`, as the gateway makes it for an operator.
    static func opening(_ tenant: TenantID, _ env: ContractEnvironment) -> CallContext {
        .system(tenant: tenant, component: "contract", requestID: "contract-\(env.run)-open")
    }

    /// A call from nobody in `tenant`: a login.
    static func anonymous(_ env: ContractEnvironment, _ tenant: TenantID? = nil) -> CallContext {
        CallContext(tenant: tenant ?? env.tenant, requestID: "contract-\(env.run)-anonymous")
    }

    /// What `user` calls with once logged in: their id and role, as the
    /// gateway reads them from their token.
    static func acting(as user: User, _ env: ContractEnvironment, in tenant: TenantID? = nil) -> CallContext {
        CallContext(
            tenant: tenant ?? env.tenant, userID: user.id, role: user.role,
            requestID: "contract-\(env.run)-\(user.username)")
    }

    static func tenantRequest(
        _ tenant: String, name: String? = nil, admin: String = "owner", email: String? = nil,
        password: String = ownerPassword
    ) -> CreateTenantRequest {
        CreateTenantRequest(
            tenantID: tenant, name: name ?? "Contract \(tenant)",
            admin: .init(username: admin, email: email ?? "\(admin)@\(tenant).example", password: password))
    }

    /// Opens `tenant` (by default the environment's) with its first admin
    /// `owner`, and returns that admin as a login shows them.
    @discardableResult
    static func open(
        _ auth: any AuthFacade, _ env: ContractEnvironment, _ tenant: TenantID? = nil, password: String = ownerPassword
    ) throws -> User {
        let tenant = tenant ?? env.tenant
        _ = try auth.createTenant(opening(tenant, env), tenantRequest(tenant.value, password: password))
        return try auth.login(anonymous(env, tenant), LoginRequest(username: "owner", password: password)).user
    }

    /// `username` with `role`, registered by `admin` in the environment's tenant.
    static func hire(
        _ auth: any AuthFacade, _ env: ContractEnvironment, by admin: User, _ username: String, _ role: Role,
        in tenant: TenantID? = nil
    ) throws -> User {
        let tenant = tenant ?? env.tenant
        return try auth.register(
            acting(as: admin, env, in: tenant),
            RegisterUserRequest(
                username: username, email: "\(username)@\(tenant.value).example", password: staffPassword, role: role))
    }

    static func logIn(
        _ auth: any AuthFacade, _ env: ContractEnvironment, _ username: String, _ password: String = staffPassword,
        in tenant: TenantID? = nil
    ) throws -> LoginResult {
        try auth.login(anonymous(env, tenant), LoginRequest(username: username, password: password))
    }

    /// Expects `call` refused with `invalidInput` whose detail names `field`.
    static func expectInvalid<Result>(_ field: String, _ what: String, _ call: () throws -> Result) throws {
        let error = try Expect.error(AuthError.invalidInput(field: "", reason: ""), what, call)
        try Expect.that(error.detail.hasPrefix(field + ":"), "the error for \(what) names \(field) (\(error.detail))")
    }

    /// Expects `value`'s wire form to carry no password and no hash of one:
    /// the Auth module's answers never do.
    static func expectNoSecrets<Value: Encodable>(_ value: Value, _ what: String) throws {
        let text = String(decoding: try WireJSON.encode(value), as: UTF8.self)
        for secret in ["password", "$scrypt$", ownerPassword, staffPassword] {
            try Expect.that(!text.contains(secret), "\(what) carries no \(secret)")
        }
    }
}
