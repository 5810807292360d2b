import Foundation
import Postgres

/// The gateway instances running now, each with the flags.json version it
/// routes by: a heartbeat every instance writes over its own row
/// (`ops.gateway_instances`), so "has every running gateway applied v42?"
/// is answered by the instances seen lately, and one that died stops
/// counting once its heartbeat is older than `liveWithin`. A stopping
/// instance removes its row at once.
///
///     let instances = GatewayInstances(database: database)
///     try instances.beat(instance: "gw-1", version: sha256, startedAt: start)
///     let running = try instances.running()
public struct GatewayInstances: Sendable {
    /// One instance as its last heartbeat left it.
    public struct Instance: Codable, Sendable, Equatable {
        public var instance: String
        /// The version it routes by; nil on the built-in defaults (no file).
        public var version: String?
        public var startedAt: Date
        public var seenAt: Date
    }

    /// Seconds between an instance's heartbeats.
    public static let beatInterval = 5.0
    /// An instance not heard from for this long is taken for gone: three beats missed.
    public static let liveWithin = 15.0

    private let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Over `database`'s `ops` pool; `database` must have been opened with `FlagsAudit.schema`.
    public init(database: Database) {
        self.init(pool: database.pool(for: FlagsAudit.schema.name))
    }

    /// Says `instance` is running on `version` now.
    public func beat(instance: String, version: String?, startedAt: Date) throws {
        _ = try pool.withConnection { connection in
            try connection.execute(
                """
                INSERT INTO ops.gateway_instances (instance, version, started_at, seen_at)
                VALUES (\(instance), \(version), \(startedAt), now())
                ON CONFLICT (instance) DO UPDATE
                    SET version = excluded.version, started_at = excluded.started_at, seen_at = excluded.seen_at
                """)
        }
    }

    /// Says `instance` stopped: it no longer counts as running.
    public func remove(instance: String) throws {
        _ = try pool.withConnection { connection in
            try connection.execute("DELETE FROM ops.gateway_instances WHERE instance = \(instance)::text")
        }
    }

    /// The instances heard from within `liveWithin` seconds, by name.
    public func running(liveWithin seconds: Double = GatewayInstances.liveWithin) throws -> [Instance] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT instance, version, started_at, seen_at FROM ops.gateway_instances
                WHERE seen_at > now() - make_interval(secs => \(seconds))
                ORDER BY instance
                """
            ).map {
                Instance(
                    instance: try $0.string("instance"), version: try $0.optionalString("version"),
                    startedAt: try $0.date("started_at"), seenAt: try $0.date("seen_at"))
            }
        }
    }
}
