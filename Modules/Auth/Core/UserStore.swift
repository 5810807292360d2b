import AuthAPI
import Foundation
import Platform
import Postgres

/// The SQL of `auth.users`. Every method runs on a connection inside a
/// transaction the service opened, scoped to `tenant` (and filters by it as
/// well), except `revokedSince`, which reads across tenants.
enum UserStore {
    /// Inserts a user; a username taken in the restaurant (compared without
    /// case) is a unique violation.
    static func insert(
        username: String, email: String, passwordHash: String, role: Role, tenant: String, on db: PostgresConnection
    ) throws -> UserRecord {
        try UserRecord(
            row: db.query(
                """
                INSERT INTO auth.users (tenant_id, username, email, password_hash, role)
                VALUES (\(tenant), \(username), \(email), \(passwordHash),
                        \(role.rawValue))
                RETURNING \(sql: UserRecord.columns)
                """
            ).first!)
    }

    /// Inserts a new restaurant's first user, its admin.
    static func insertFirstAdmin(
        username: String, email: String, passwordHash: String, tenant: String, on db: PostgresConnection
    ) throws {
        try db.execute(
            """
            INSERT INTO auth.users (tenant_id, username, email, password_hash, role)
            VALUES (\(tenant), \(username), \(email), \(passwordHash), 'admin')
            """)
    }

    static func find(id: UUID, tenant: String, on db: PostgresConnection) throws -> UserRecord? {
        try db.query(
            """
            SELECT \(sql: UserRecord.columns)
            FROM auth.users WHERE tenant_id = \(tenant) AND id = \(id)
            """
        ).first.map(UserRecord.init(row:))
    }

    /// The user logging in as `username` (compared without case), with the
    /// database's clock in unix seconds (`now`: the clock `tokens_valid_after`
    /// is stamped with) and the first second a token of theirs may be issued
    /// in to outlive their latest revocation (`revokedBefore`, nil if none).
    static func findForLogin(username: String, tenant: String, on db: PostgresConnection) throws
        -> (record: UserRecord, now: Int, revokedBefore: Int?)?
    {
        try db.query(
            """
            SELECT \(sql: UserRecord.columns),
                   floor(extract(epoch FROM now()))::bigint AS now,
                   floor(extract(epoch FROM tokens_valid_after))::bigint + 1 AS revoked_before
            FROM auth.users WHERE tenant_id = \(tenant) AND lower(username) = lower(\(username))
            """
        ).first.map { row in
            (record: try UserRecord(row: row), now: try row.int("now"), revokedBefore: try row.optionalInt("revoked_before"))
        }
    }

    /// The restaurant's users, oldest first.
    static func all(tenant: String, on db: PostgresConnection) throws -> [UserRecord] {
        try db.query(
            """
            SELECT \(sql: UserRecord.columns)
            FROM auth.users WHERE tenant_id = \(tenant) ORDER BY created_at, username
            """
        ).map(UserRecord.init(row:))
    }

    /// Changes a user's role and whether they are active (nil leaves either
    /// as it is); nil when there is no such user. Disabling or any role change
    /// revokes the tokens issued so far: they carry the old role or belong to
    /// someone who must be out. The gateways learn it through `RevocationFeed`.
    /// Clock time, not the transaction's start, so the stamp is as close to
    /// the commit as it can be and a login reading the old row is not dated
    /// after it.
    static func update(id: UUID, role: Role?, active: Bool?, tenant: String, on db: PostgresConnection) throws
        -> UserRecord?
    {
        try db.query(
            """
            UPDATE auth.users
            SET tokens_valid_after = CASE
                    WHEN \(active)::boolean = false OR \(role?.rawValue)::text <> role
                    THEN clock_timestamp() ELSE tokens_valid_after END,
                role = coalesce(\(role?.rawValue), role),
                active = coalesce(\(active), active),
                updated_at = now()
            WHERE tenant_id = \(tenant) AND id = \(id)
            RETURNING \(sql: UserRecord.columns)
            """
        ).first.map(UserRecord.init(row:))
    }

    /// The users of every tenant whose tokens were revoked in the last
    /// `lookback` seconds, each with the first second a token of theirs may
    /// have been issued in to still be honoured: whole seconds, rounded up,
    /// since a token's `iat` has no fraction and one issued in the same
    /// second as the revocation may predate it. Fresh logins get an `iat` of
    /// at least this value (see `AuthService.login`).
    static func revokedSince(lookback: Double, on db: PostgresConnection) throws
        -> [(user: String, revokedBefore: Int)]
    {
        try db.execute("SELECT set_config('app.token_revocations', 'on', true)")
        return try db.query(
            """
            SELECT id::text AS id, floor(extract(epoch FROM tokens_valid_after))::bigint + 1 AS revoked_before
            FROM auth.users
            WHERE tokens_valid_after > now() - make_interval(secs => \(lookback))
            """
        ).map { (user: try $0.string("id"), revokedBefore: try $0.int("revoked_before")) }
    }
}
