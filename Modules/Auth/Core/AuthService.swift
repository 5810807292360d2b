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
    private let tokenLifetime: Int

    /// - Parameter tokenLifetime: seconds an access token is valid. Tokens are
    ///   checked without a database read, so a disabled user keeps access until
    ///   theirs expires: keep it short.
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
        let record = try pool.transaction(tenant: tenant.value) { db in
            try db.query(
                """
                SELECT id::text AS id, tenant_id, username, email, role, active, created_at, password_hash
                FROM auth.users WHERE tenant_id = \(tenant.value) AND lower(username) = lower(\(request.username))
                """
            ).first.map(UserRecord.init(row:))
        }
        guard let record else {
            // Spend the same time as a real check: no user enumeration by timing.
            PasswordHasher.dummyVerify(cost: hasher.cost)
            throw AuthError.invalidCredentials
        }
        guard hasher.verify(request.password, against: record.passwordHash) else {
            throw AuthError.invalidCredentials
        }
        // Only after the password is proven, so "disabled" reveals nothing to strangers.
        guard record.user.active else { throw AuthError.userDisabled }
        let now = Int(Date().timeIntervalSince1970)
        let token = signer.sign(
            JWTClaims(
                subject: record.user.id, tenant: tenant.value, role: record.user.role.rawValue,
                username: record.user.username, issuedAt: now, expiresAt: now + tokenLifetime,
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
            try db.query(
                """
                UPDATE auth.users
                SET role = coalesce(\(request.role?.rawValue), role),
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
