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
public final class AuthService: AuthFacade {
    private let pool: PostgresPool
    private let hasher: PasswordHasher
    private let signer: JWTSigner
    /// Seconds an access token is valid; a `RevocationFeed` keeps revocations this long.
    package let tokenLifetime: Int

    /// - Parameter tokenLifetime: seconds an access token is valid. Tokens are
    ///   checked without a database read; disabling or demoting a user reaches
    ///   the gateways through `RevocationFeed`, and the lifetime bounds how
    ///   long each gateway must remember that.
    public init(pool: PostgresPool, signer: JWTSigner, hasher: PasswordHasher = PasswordHasher(), tokenLifetime: Int = 3600) {
        self.pool = pool
        self.signer = signer
        self.hasher = hasher
        self.tokenLifetime = tokenLifetime
    }

    public func createTenant(_ request: CreateTenantRequest) throws -> Tenant {
        guard let tenant = TenantID(request.tenantID) else {
            throw AuthError.invalidInput(
                field: "tenant_id", reason: "2 to 63 characters: lower-case letters, digits and inner '-'")
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
                let row = try db.query(
                    "INSERT INTO auth.tenants (tenant_id, name) VALUES (\(tenant.value), \(name)) RETURNING created_at"
                ).first!
                try db.execute(
                    """
                    INSERT INTO auth.users (tenant_id, username, email, password_hash, role)
                    VALUES (\(tenant.value), \(admin.username), \(admin.email), \(passwordHash), 'admin')
                    """)
                return Tenant(id: tenant.value, name: name, createdAt: try row.date("created_at"))
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw AuthError.tenantExists
        }
    }

    public func login(tenant: TenantID, _ request: LoginRequest) throws -> LoginResult {
        // Bounded so a hostile client cannot make us hash megabytes.
        guard request.username.utf8.count <= 256, request.password.utf8.count <= 1024 else {
            throw AuthError.invalidCredentials
        }
        // The database's clock for `iat`, the clock `tokens_valid_after` is stamped with.
        let found = try pool.transaction(tenant: tenant.value) { db in
            try db.query(
                """
                SELECT id::text AS id, tenant_id, username, email, role, active, created_at, password_hash,
                       floor(extract(epoch FROM now()))::bigint AS now,
                       floor(extract(epoch FROM tokens_valid_after))::bigint + 1 AS revoked_before
                FROM auth.users WHERE tenant_id = \(tenant.value) AND lower(username) = lower(\(request.username))
                """
            ).first.map { row in
                (record: try UserRecord(row: row), now: try row.int("now"), revokedBefore: try row.optionalInt("revoked_before"))
            }
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

    public func register(_ context: CallContext, _ request: RegisterUserRequest) throws -> User {
        try context.require(.admin)
        try Credentials.validate(username: request.username, email: request.email, password: request.password)
        let passwordHash = try hasher.hash(request.password)
        do {
            return try pool.transaction(tenant: context.tenant.value) { db in
                try UserRecord(
                    row: db.query(
                        """
                        INSERT INTO auth.users (tenant_id, username, email, password_hash, role)
                        VALUES (\(context.tenant.value), \(request.username), \(request.email), \(passwordHash),
                                \(request.role.rawValue))
                        RETURNING id::text AS id, tenant_id, username, email, role, active, created_at, password_hash
                        """
                    ).first!
                ).user
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            throw AuthError.usernameTaken
        }
    }

    public func user(_ context: CallContext, id: String) throws -> User {
        // Staff may read their own record; other people's are for managers.
        let isSelf = id.lowercased() == context.userID?.lowercased()
        if !isSelf { try context.require(.manager) }
        guard let id = UUID(uuidString: id) else { throw AuthError.userNotFound }
        let record = try pool.transaction(tenant: context.tenant.value) { db in
            try db.query(
                """
                SELECT id::text AS id, tenant_id, username, email, role, active, created_at, password_hash
                FROM auth.users WHERE tenant_id = \(context.tenant.value) AND id = \(id)
                """
            ).first.map(UserRecord.init(row:))
        }
        guard let record else { throw AuthError.userNotFound }
        return record.user
    }

    public func listUsers(_ context: CallContext) throws -> [User] {
        try context.require(.manager)
        return try pool.transaction(tenant: context.tenant.value) { db in
            try db.query(
                """
                SELECT id::text AS id, tenant_id, username, email, role, active, created_at, password_hash
                FROM auth.users WHERE tenant_id = \(context.tenant.value) ORDER BY created_at, username
                """
            ).map { try UserRecord(row: $0).user }
        }
    }

    public func updateUser(_ context: CallContext, id: String, _ request: UpdateUserRequest) throws -> User {
        try context.require(.admin)
        guard let uuid = UUID(uuidString: id) else { throw AuthError.userNotFound }
        if uuid.uuidString.lowercased() == context.userID?.lowercased(),
            request.active == false || (request.role.map { $0 != .admin } ?? false)
        {
            // An admin locking themselves out could leave a restaurant with none.
            throw AuthError.selfModification
        }
        let record = try pool.transaction(tenant: context.tenant.value) { db in
            // Disabling or any role change revokes the tokens issued so far: they
            // carry the old role or belong to someone who must be out. The
            // gateways learn it through `RevocationFeed`. Clock time, not the
            // transaction's start, so the stamp is as close to the commit as it
            // can be and a login reading the old row is not dated after it.
            try db.query(
                """
                UPDATE auth.users
                SET tokens_valid_after = CASE
                        WHEN \(request.active)::boolean = false OR \(request.role?.rawValue)::text <> role
                        THEN clock_timestamp() ELSE tokens_valid_after END,
                    role = coalesce(\(request.role?.rawValue), role),
                    active = coalesce(\(request.active), active),
                    updated_at = now()
                WHERE tenant_id = \(context.tenant.value) AND id = \(uuid)
                RETURNING id::text AS id, tenant_id, username, email, role, active, created_at, password_hash
                """
            ).first.map(UserRecord.init(row:))
        }
        guard let record else { throw AuthError.userNotFound }
        return record.user
    }
}
