import BanyanTestSupport
import FlagsAudit
import Foundation
import Platform
import Postgres

/// A fresh database with the `ops` schema, opened as the gateway opens it:
/// the pool logs in as `banyan_ops`; `url` is the superuser's way in.
struct AuditDatabase {
    let url: String
    let database: Database
    var log: FlagsAuditLog { FlagsAuditLog(database: database) }
    var pool: PostgresPool { database.pool(for: "ops") }

    init(_ prefix: String) throws {
        url = TestDatabase.makeDatabase(prefix)
        database = try Self.open(url)
    }

    static func open(_ url: String) throws -> Database {
        try Database.open(
            modules: [FlagsAudit.schema],
            options: Database.Options(
                databaseURL: url, embeddedDirectory: "/nonexistent", rolePassword: TestDatabase.rolePassword,
                poolSize: 2))
    }

    /// A connection as the superuser, for what no role of Banyan's may do.
    func admin() throws -> PostgresConnection { try PostgresConnection(conninfo: url) }

    func shutdown() { database.shutdown() }
}

/// A well-formed file version: `sha256:` and 64 hex digits, distinct per `n`.
func version(_ n: Int) -> String {
    let hex = String(n, radix: 16)
    return "sha256:" + String(repeating: "a", count: 64 - hex.count) + hex
}

/// A change through the CLI moving `tenant` of `module` to the service, with every field set.
func movedToService(
    module: String = "payments", tenant: String = "demo-cafe", actor: String = "alice", from: Int = 1, to: Int = 2
) -> FlagChangeRecord {
    FlagChangeRecord(
        actor: actor, source: .cli, reason: "move \(tenant) to the \(module) service",
        fromVersion: version(from), toVersion: version(to),
        before: .object(["modules": .object([module: .object(["default": .string("in-process")])])]),
        after: .object([
            "modules": .object([
                module: .object([
                    "default": .string("in-process"), "tenants": .object([tenant: .string("service")]),
                ])
            ])
        ]),
        changes: [FlagChange(module: module, tenant: tenant, from: nil, to: .string("service"))],
        gate: GateVerdict(result: .passed))
}

/// What `body` threw as a PostgreSQL error, or nil when it threw none (or another kind).
func postgresError(_ body: () throws -> Void) -> PostgresError? {
    do {
        try body()
        return nil
    } catch {
        return error as? PostgresError
    }
}
