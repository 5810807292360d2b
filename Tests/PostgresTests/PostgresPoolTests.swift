import BanyanTestSupport
import Foundation
import Postgres
import Synchronization
import Testing

@Suite struct PostgresPoolTests {
    @Test func waitersTimeOutWhenEveryConnectionIsHeld() throws {
        let pool = PostgresPool(conninfo: TestDatabase.makeDatabase("pooltimeout"), size: 1, waitTimeout: 0.5)
        defer { pool.close() }
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holderDone = DispatchSemaphore(value: 0)
        Thread {
            _ = try? pool.withConnection { _ in
                holding.signal()
                _ = release.wait(timeout: .now() + 30)
            }
            holderDone.signal()
        }.start()
        #expect(holding.wait(timeout: .now() + 10) == .success)

        let started = Date()
        let error = #expect(throws: PostgresError.self) {
            try pool.withConnection { _ in }
        }
        let waited = Date().timeIntervalSince(started)
        #expect(error?.isPoolTimeout == true)
        #expect(waited >= 0.45 && waited < 3, "waited \(waited) s")

        release.signal()
        #expect(holderDone.wait(timeout: .now() + 10) == .success)
        // The held connection came back and serves the next caller.
        #expect(try pool.withConnection { try $0.query("SELECT 1 AS one").first?.int("one") } == 1)
        #expect(pool.openConnectionCount == 1)
    }

    @Test func connectionsOpenLazilyUpToTheSize() throws {
        let pool = PostgresPool(conninfo: TestDatabase.makeDatabase("poollazy"), size: 3)
        defer { pool.close() }
        #expect(pool.openConnectionCount == 0)
        let failures = runConcurrently(6) { _ in
            for _ in 0..<20 {
                try pool.withConnection { try $0.query("SELECT pg_sleep(0.001)") }
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(pool.openConnectionCount <= 3)
        #expect(pool.openConnectionCount >= 1)
    }

    @Test func idleConnectionKilledByTheServerIsReplaced() throws {
        let conninfo = TestDatabase.makeDatabase("poolkilled")
        let pool = PostgresPool(conninfo: conninfo, size: 1)
        defer { pool.close() }
        let admin = try PostgresConnection(conninfo: TestDatabase.shared)
        defer { admin.close() }

        let first = try pool.withConnection { $0.backendPID }
        let terminated = try admin.query("SELECT pg_terminate_backend(\(first), \(5000)) AS done").first?.bool("done")
        #expect(terminated == true)

        // The very next use works, on a new backend.
        let second = try pool.withConnection { connection throws -> Int32 in
            #expect(try connection.query("SELECT 1 AS one").first?.int("one") == 1)
            return connection.backendPID
        }
        #expect(second != first)
        #expect(pool.openConnectionCount == 1)
    }

    @Test func connectionThatBreaksMidUseIsDiscarded() throws {
        let pool = PostgresPool(conninfo: TestDatabase.makeDatabase("poolbreak"), size: 1)
        defer { pool.close() }
        let admin = try PostgresConnection(conninfo: TestDatabase.shared)
        defer { admin.close() }

        let error = #expect(throws: PostgresError.self) {
            try pool.withConnection { connection in
                try admin.query("SELECT pg_terminate_backend(\(connection.backendPID), \(5000))")
                try connection.query("SELECT 1")
            }
        }
        #expect(error?.isConnectionFailure == true)
        #expect(pool.openConnectionCount == 0)
        #expect(try pool.withConnection { try $0.query("SELECT 2 AS two").first?.int("two") } == 2)
    }

    @Test func connectionReturnedInsideATransactionIsRolledBack() throws {
        let conninfo = TestDatabase.makeDatabase("poolopen")
        let setup = try PostgresConnection(conninfo: conninfo)
        try setup.executeScript("CREATE TABLE marks (n int)")
        setup.close()
        let pool = PostgresPool(conninfo: conninfo, size: 1)
        defer { pool.close() }

        try pool.withConnection { connection in
            try connection.execute("BEGIN")
            try connection.execute("INSERT INTO marks VALUES (\(1))")
        }
        struct Oops: Error {}
        #expect(throws: Oops.self) {
            try pool.withConnection { connection in
                try connection.execute("BEGIN")
                try connection.execute("INSERT INTO marks VALUES (\(2))")
                _ = try? connection.execute("SELECT 1/0")  // leaves the transaction failed
                throw Oops()
            }
        }
        let count = try pool.withConnection { connection in
            #expect(try connection.query("SELECT 1 AS one").count == 1)  // not "current transaction is aborted"
            return try connection.query("SELECT count(*) AS n FROM marks").first?.int("n")
        }
        #expect(count == 0)
    }

    @Test func closedPoolRefusesWork() throws {
        let pool = PostgresPool(conninfo: TestDatabase.makeDatabase("poolclosed"), size: 2)
        #expect(pool.ping())
        pool.close()
        #expect(!pool.ping())
        let error = #expect(throws: PostgresError.self) { try pool.withConnection { _ in } }
        #expect(error?.kind == .poolClosed)
        #expect(pool.openConnectionCount == 0)
    }

    @Test func unreachableServerFailsFastWithoutLeakingThePassword() throws {
        let password = "pw-should-not-appear-31"
        let pool = PostgresPool(
            conninfo: "host=/nonexistent-banyan-dir port=5432 user=x password=\(password) dbname=x", size: 1)
        defer { pool.close() }
        let error = #expect(throws: PostgresError.self) { try pool.withConnection { _ in } }
        #expect(error?.isConnectionFailure == true)
        #expect(error.map { String(reflecting: $0) }?.contains(password) == false)
        #expect(!pool.ping())
        #expect(pool.openConnectionCount == 0)

        let malformed = #expect(throws: PostgresError.self) {
            try PostgresConnection(conninfo: "host=x password='\(password)")
        }
        #expect(malformed.map { String(reflecting: $0) }?.contains(password) == false)
    }
}
