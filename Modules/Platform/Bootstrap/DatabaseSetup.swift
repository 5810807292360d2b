import Platform
import Postgres
import Security

/// How a Banyan process reaches PostgreSQL: `DATABASE_URL`, else the
/// embedded cluster under `.banyan/pg`. Each module's role password is
/// derived from one secret (`BANYAN_DB_SECRET`, else generated into
/// `.banyan/db-secret`) so the gateway and every service on this machine
/// compute the same passwords without storing one per role.
public enum DatabaseSetup {
    public static func options() throws -> Database.Options {
        let secret = try SecretStore.loadOrCreate(environment: "BANYAN_DB_SECRET", file: "db-secret")
        var options = Database.Options(rolePassword: rolePassword(secret: secret))
        if let url = Configuration.value("DATABASE_URL"), !url.isEmpty {
            options.databaseURL = url
        }
        options.poolSize = Configuration.int("BANYAN_DB_POOL_SIZE", default: options.poolSize)
        return options
    }

    /// Role name → its password under `secret`.
    public static func rolePassword(secret: [UInt8]) -> @Sendable (String) -> String {
        { role in Hex.encode(Digest.hmacSHA256(key: secret, data: Array("postgres-role:\(role)".utf8))) }
    }
}
