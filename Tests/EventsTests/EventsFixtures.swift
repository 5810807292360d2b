import BanyanTestSupport
import Events
import Foundation
import Platform
import Postgres
import Synchronization

/// A small module of its own: a table that changes, and its outbox.
enum EventTestSchema {
    static let name = "evtest"
    static let module = ModuleSchema(
        name: name,
        migrations: [
            Migration(
                version: 1, name: "notes and outbox",
                sql: """
                    CREATE TABLE evtest.notes (
                        id        bigserial PRIMARY KEY,
                        tenant_id text NOT NULL,
                        body      text NOT NULL
                    );
                    \(RowLevelSecurity.tenantIsolationSQL(table: "evtest.notes"))
                    \(Outbox.migrationSQL(schema: name))
                    """)
        ])
}

/// Published with every note; the tests subscribe to it.
struct NotePosted: DomainEvent, Equatable {
    static let eventType = "NotePosted"
    var text: String
    var postedAt: Date

    enum CodingKeys: String, CodingKey {
        case text
        case postedAt = "posted_at"
    }
}

/// An event nobody subscribes to.
struct NoteArchived: DomainEvent {
    static let eventType = "NoteArchived"
    var text: String
}

struct SubscriberFailure: Error, CustomStringConvertible {
    var description: String
}

let tenantA = TenantID("t-alpha")!
let tenantB = TenantID("t-beta")!

/// Writes a note and its event in one transaction, as a module would.
func postNote(_ text: String, tenant: TenantID = tenantA, on pool: PostgresPool) throws {
    try pool.transaction(tenant: tenant.value) { db in
        try db.execute("INSERT INTO evtest.notes (tenant_id, body) VALUES (\(tenant.value), \(text))")
        try Outbox.append(
            NotePosted(text: text, postedAt: Date(timeIntervalSince1970: 1_700_000_000)), tenant: tenant.value,
            schema: EventTestSchema.name, on: db)
    }
}

/// The outbox rows a tenant can see, oldest first.
func outboxRows(_ tenant: TenantID, on pool: PostgresPool) throws -> [(id: Int64, status: String, attempts: Int, lastError: String?)] {
    try pool.transaction(tenant: tenant.value) { db in
        try db.query("SELECT id, status, attempts, last_error FROM evtest.outbox ORDER BY id").map {
            (try $0.int64("id"), try $0.string("status"), try $0.int("attempts"), try $0.optionalString("last_error"))
        }
    }
}

/// A fresh test database with the test module; the caller shuts it down
/// (suites own one: made in `init`, shut down in `deinit`).
func openEventDatabase(poolSize: Int = 4) throws -> Database {
    try TestDatabase.open(modules: [EventTestSchema.module], prefix: "events", poolSize: poolSize)
}

/// Runs `body` with the test module's pool of a fresh database of its own,
/// sized `size`, and always shuts that database down: for the test whose
/// pool must differ from its suite's.
func withEventPool<Result>(size: Int, _ body: (PostgresPool) throws -> Result) throws -> Result {
    let database = try openEventDatabase(poolSize: size)
    defer { database.shutdown() }
    return try body(database.pool(for: EventTestSchema.name))
}

/// Polls `condition` until it holds or `timeout` seconds pass; true if it held.
func eventually(timeout: Double = 15, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.005)
    }
    return try condition()
}

/// What a subscriber saw, shared with the test thread.
final class Deliveries<Event: Sendable>: Sendable {
    private let seen = Mutex<[(event: Event, metadata: EventMetadata)]>([])

    func record(_ event: Event, _ metadata: EventMetadata) { seen.withLock { $0.append((event, metadata)) } }
    var count: Int { seen.withLock { $0.count } }
    var all: [(event: Event, metadata: EventMetadata)] { seen.withLock { $0 } }
}

/// Runs `body` on `count` threads released together; returns what each threw.
func runConcurrently(_ count: Int, timeout: Double = 60, _ body: @escaping @Sendable (Int) throws -> Void) -> [String] {
    let failures = Mutex<[String]>([])
    let finished = DispatchSemaphore(value: 0)
    let ready = DispatchSemaphore(value: 0)
    let go = DispatchSemaphore(value: 0)
    for index in 0..<count {
        Thread {
            ready.signal()
            go.wait()
            do {
                try body(index)
            } catch {
                failures.withLock { $0.append("thread \(index): \(String(reflecting: error))") }
            }
            finished.signal()
        }.start()
    }
    for _ in 0..<count { ready.wait() }
    for _ in 0..<count { go.signal() }
    for _ in 0..<count where finished.wait(timeout: .now() + timeout) == .timedOut {
        failures.withLock { $0.append("a thread did not finish within \(timeout) s") }
    }
    return failures.withLock { $0 }
}
