import AuthAPI
import Foundation
import Platform
import Postgres
import Security

/// The in-process implementation of `AuthFacade`, over the `auth` schema.
///
/// Every query runs in a transaction scoped to one tenant (`app.tenant`),
/// so row-level security hides other restaurants even if a WHERE clause
/// were ever forgotten.
package final class AuthService: AuthFacade {
    private let pool: PostgresPool
    private let hasher: PasswordHasher
    private let signer: JWTSigner
    /// Seconds an access token is valid; a `RevocationFeed` keeps revocations this long.
    package let tokenLifetime: Int

    /// - Parameter tokenLifetime: seconds an access token is valid. Tokens are
    ///   checked without a database read; disabling or demoting a user reaches
    ///   the gateways through `RevocationFeed`, and the lifetime bounds how
    ///   long each gateway must remember that.
    package init(pool: PostgresPool, signer: JWTSigner, hasher: PasswordHasher = PasswordHasher(), tokenLifetime: Int = 3600) {
        self.pool = pool
        self.signer = signer
        self.hasher = hasher
        self.tokenLifetime = tokenLifetime
    }

    package func createTenant(_ context: CallContext, _ request: CreateTenantRequest) throws -> Tenant {
        try context.require(.admin)
        let tenant = try request.tenant()
        // The call is routed, signed and scoped by its context's tenant: it
        // may open that tenant and no other.
        guard tenant == context.tenant else {
            throw AuthError.invalidInput(field: "tenant_id", reason: "must be the tenant the call is made for")
        }
        let name = request.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.count) else {
            throw AuthError.invalidInput(field: "name", reason: "1 to 200 characters")
        }
        let admin = request.admin
        try Credentials.validate(username: admin.username, email: admin.email, password: admin.password)
        let passwordHash = try hasher.hash(admin.password)
        do {
            return try pool.transaction(tenant: tenant.value) { db in
                let createdAt = try TenantStore.insert(id: tenant.value, name: name, on: db)
                try UserStore.insertFirstAdmin(
                    username: admin.username, email: admin.email, passwordHash: passwordHash, tenant: tenant.value,
                    on: db)
                return Tenant(id: tenant.value, name: name, createdAt: createdAt)
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw AuthError.tenantExists
        }
    }

    package func login(_ context: CallContext, _ request: LoginRequest) throws -> LoginResult {
        let tenant = context.tenant
        // Bounded so a hostile client cannot make us hash megabytes.
        guard request.username.utf8.count <= 256, request.password.utf8.count <= 1024 else {
            throw AuthError.invalidCredentials
        }
        // The database's clock for `iat`, the clock `tokens_valid_after` is stamped with.
        let found = try pool.autocommit(tenant: tenant.value) {
            try UserStore.findForLogin(username: request.username, tenant: tenant.value, on: $0)
        }
        guard let (record, now, revokedBefore) = found else {
            // Spend the same time as a real check: no user enumeration by timing.
            PasswordHasher.dummyVerify(cost: hasher.cost)
            throw AuthError.invalidCredentials
        }
        guard hasher.verify(request.password, against: record.passwordHash) else {
            throw AuthError.invalidCredentials
        }
        // Only after the password is proven, so "disabled" reveals nothing to strangers.
        guard record.user.active else { throw AuthError.userDisabled }
        // Revocations refuse tokens by whole second (see RevocationFeed): a token
        // issued in the second of the latest revocation, having read the row
        // after it, is dated the next second so it is not refused with the old ones.
        let issuedAt = max(now, revokedBefore ?? now)
        let token = signer.sign(
            JWTClaims(
                subject: record.user.id, tenant: tenant.value, role: record.user.role.rawValue,
                username: record.user.username, issuedAt: issuedAt, expiresAt: now + tokenLifetime,
                audience: nil, issuer: "banyan"))
        return LoginResult(accessToken: token, expiresIn: tokenLifetime, user: record.user)
    }

    package func register(_ context: CallContext, _ request: RegisterUserRequest) throws -> User {
        try context.require(.admin)
        try Credentials.validate(username: request.username, email: request.email, password: request.password)
        let passwordHash = try hasher.hash(request.password)
        do {
            return try pool.transaction(tenant: context.tenant.value) {
                try UserStore.insert(
                    username: request.username, email: request.email, passwordHash: passwordHash, role: request.role,
                    tenant: context.tenant.value, on: $0)
            }.user
        } catch let error as PostgresError where error.isUniqueViolation {
            throw AuthError.usernameTaken
        }
    }

    package func user(_ context: CallContext, id: String) throws -> User {
        // Staff may read their own record; other people's are for managers.
        let isSelf = id.lowercased() == context.userID?.lowercased()
        if !isSelf { try context.require(.manager) }
        guard let id = UUID(uuidString: id) else { throw AuthError.userNotFound }
        let tenant = context.tenant.value
        let record = try pool.autocommit(tenant: tenant) { try UserStore.find(id: id, tenant: tenant, on: $0) }
        guard let record else { throw AuthError.userNotFound }
        return record.user
    }

    package func listUsers(_ context: CallContext) throws -> [User] {
        try context.require(.manager)
        let tenant = context.tenant.value
        return try pool.autocommit(tenant: tenant) { try UserStore.all(tenant: tenant, on: $0).map(\.user) }
    }

    package func updateUser(_ context: CallContext, id: String, _ request: UpdateUserRequest) throws -> User {
        try context.require(.admin)
        guard let uuid = UUID(uuidString: id) else { throw AuthError.userNotFound }
        if uuid.uuidString.lowercased() == context.userID?.lowercased(),
            request.active == false || (request.role.map { $0 != .admin } ?? false)
        {
            // An admin locking themselves out could leave a restaurant with none.
            throw AuthError.selfModification
        }
        let tenant = context.tenant.value
        // Disabling or a role change also revokes the user's tokens (see `UserStore.update`).
        let record = try pool.transaction(tenant: tenant) {
            try UserStore.update(id: uuid, role: request.role, active: request.active, tenant: tenant, on: $0)
        }
        guard let record else { throw AuthError.userNotFound }
        return record.user
    }
}
