import BanyanTestSupport
import Foundation
import Postgres
import Testing

/// Values travel as bind parameters and come back unchanged, whatever they hold.
@Suite final class BindParameterTests {
    static let hostileStrings = [
        "'; DROP TABLE notes; --",
        "O'Brien \"quoted\" \\backslash\\ $1 $$dollar$$ %_ wildcards",
        "Robert'); DELETE FROM notes WHERE ('1'='1",
        "ñandú 🍔 日本語 עברית \u{200B} zero-width",
        "line\nbreak\ttab\r\n",
        "",
    ]

    /// A superuser connection to a fresh database per test: Swift Testing
    /// makes a suite instance per test.
    let connection: PostgresConnection

    init() throws { connection = try freshConnection("bind") }
    deinit { connection.close() }

    @Test(arguments: hostileStrings)
    func hostileStringsAreStoredVerbatim(text: String) throws {
        try connection.executeScript("CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)")
        #expect(try connection.execute("INSERT INTO notes (body) VALUES (\(text))") == 1)
        let row = try #require(try connection.query("SELECT body FROM notes WHERE body = \(text)").first)
        #expect(try row.string("body") == text)
        #expect(try connection.query("SELECT \(text) AS echoed").first?.string("echoed") == text)
        // The table is still there, with one row.
        #expect(try connection.query("SELECT count(*) AS n FROM notes").first?.int("n") == 1)
    }

    @Test func longStringsRoundTrip() throws {
        let text = String(repeating: "ab'c\\", count: 250_000)  // 1.25 MB
        #expect(try connection.query("SELECT \(text) AS v, length(\(text)) AS n").first?.string("v") == text)
    }

    @Test func nulByteIsRejectedBeforeSending() throws {
        let error = #expect(throws: PostgresError.self) {
            try connection.query("SELECT \("before\u{0}after") AS v")
        }
        #expect(error?.kind == .invalidQuery)
        #expect(error?.sqlState == nil)
        // The connection is untouched and still usable.
        #expect(try connection.query("SELECT 1 AS one").first?.int("one") == 1)
        #expect(!connection.isBroken)
    }

    @Test func integersRoundTrip() throws {
        for value in [Int64.min, -1, 0, 1, Int64.max] {
            #expect(try connection.query("SELECT \(value) AS v").first?.int64("v") == value)
        }
        for value in [Int32.min, 0, Int32.max] {
            #expect(try connection.query("SELECT \(value) AS v").first?.int32("v") == value)
        }
        #expect(try connection.query("SELECT \(Int.max) AS v").first?.int("v") == Int.max)
        // An Int parameter compares with an int4 column.
        try connection.executeScript("CREATE TABLE small (n integer); INSERT INTO small VALUES (42)")
        #expect(try connection.query("SELECT n FROM small WHERE n = \(42)").first?.int("n") == 42)
    }

    @Test func boolsDoublesUUIDsAndBytesRoundTrip() throws {
        for value in [true, false] {
            #expect(try connection.query("SELECT \(value) AS v").first?.bool("v") == value)
        }
        for value in [0.1, -1.5e300, 123_456.789, Double.infinity, -Double.infinity, 0] {
            #expect(try connection.query("SELECT \(value) AS v").first?.double("v") == value)
        }
        #expect(try connection.query("SELECT \(Double.nan) AS v").first?.double("v").isNaN == true)

        let id = UUID()
        #expect(try connection.query("SELECT \(id) AS v").first?.uuid("v") == id)
        // A UUID as text also matches a uuid column, since strings go out untyped.
        try connection.executeScript("CREATE TABLE things (id uuid PRIMARY KEY)")
        try connection.execute("INSERT INTO things VALUES (\(id))")
        #expect(try connection.query("SELECT id FROM things WHERE id = \(id.uuidString)").count == 1)

        let everyByte = (0...255).map { UInt8($0) }
        for bytes in [everyByte, [], [0]] {
            #expect(try connection.query("SELECT \(bytes) AS v").first?.bytes("v") == bytes)
        }
    }

    @Test func datesRoundTripToTheMicrosecond() throws {
        let samples = [
            Date(timeIntervalSince1970: 1_714_979_289.123456),
            Date(timeIntervalSince1970: 0),
            Date(timeIntervalSince1970: -1_000_000_000.5),  // 1938
            Date(timeIntervalSince1970: 4_102_444_800),  // 2100
            Date(),
        ]
        for date in samples {
            let read = try #require(try connection.query("SELECT \(date) AS v").first).date("v")
            #expect(abs(read.timeIntervalSince(date)) < 0.000_001, "\(date) came back as \(read)")
        }
        // Timestamps the server produces, in another session time zone, read the same instant.
        try connection.executeScript("SET TimeZone = 'Asia/Kolkata'")
        let row = try #require(
            try connection.query(
                "SELECT '2024-05-06 07:08:09.5+00'::timestamptz AS v, \(Date(timeIntervalSince1970: 0)) AS epoch"
            ).first)
        #expect(try row.string("v") == "2024-05-06 12:38:09.5+05:30")
        #expect(try row.date("v") == Date(timeIntervalSince1970: 1_714_979_289.5))
        #expect(try row.date("epoch") == Date(timeIntervalSince1970: 0))
    }

    @Test func nullsReadAsNilAndFailNonOptionalReads() throws {
        let nothing: String? = nil
        let something: Int? = 5
        let row = try #require(try connection.query("SELECT \(nothing) AS a, \(something) AS b").first)
        #expect(try row.optionalString("a") == nil)
        #expect(try row.isNull("a"))
        #expect(try row.optionalInt("b") == 5)
        let error = #expect(throws: PostgresError.self) { try row.string("a") }
        #expect(error?.kind == .decoding)
        #expect(throws: PostgresError.self) { try row.string("no_such_column") }
    }

    @Test func errorsDoNotPrintValues() throws {
        let secret = "s3cret-value-9f2"
        let serverError = #expect(throws: PostgresError.self) {
            try connection.query("SELECT \(secret)::integer AS v")
        }
        #expect(serverError?.sqlState == "22P02")
        #expect(serverError.map { "\($0)" }?.contains(secret) == false)
        #expect(serverError.map { String(reflecting: $0) }?.contains(secret) == true)

        let row = try #require(try connection.query("SELECT \(secret) AS v").first)
        let decodingError = #expect(throws: PostgresError.self) { try row.int("v") }
        #expect(decodingError.map { String(reflecting: $0) }?.contains(secret) == false)
    }

    @Test func uniqueViolationNamesItsConstraint() throws {
        try connection.executeScript("CREATE TABLE users (name text CONSTRAINT users_name_key UNIQUE)")
        try connection.execute("INSERT INTO users VALUES (\("ana"))")
        let error = #expect(throws: PostgresError.self) {
            try connection.execute("INSERT INTO users VALUES (\("ana"))")
        }
        #expect(error?.isUniqueViolation == true)
        #expect(error?.constraint == "users_name_key")
        #expect(error?.kind == .server)
        #expect(error.map { "\($0)" }?.contains("ana") == false)
    }

    @Test func executeCountsAffectedRowsAndScriptsRunSeveralStatements() throws {
        try connection.executeScript(
            "CREATE TABLE items (n int); INSERT INTO items SELECT generate_series(1, 10)")
        #expect(try connection.execute("UPDATE items SET n = n + 1 WHERE n > \(7)") == 3)
        #expect(try connection.execute("DELETE FROM items") == 10)
        let rows = try connection.query("SELECT generate_series(1, 3) AS n")
        #expect(try rows.map { try $0.int("n") } == [1, 2, 3])
        #expect(rows.columns == ["n"])
    }
}

@Suite struct PostgresArrayTests {
    @Test func listsTravelAsOneTypedArray() throws {
        let connection = try PostgresConnection(conninfo: TestDatabase.makeDatabase("arrays"))
        defer { connection.close() }
        let ids = [UUID(), UUID(), UUID()]
        let row = try #require(
            try connection.query(
                """
                SELECT array_length(\(PostgresArray(ids)), 1) AS n,
                       \(ids[1]) = ANY(\(PostgresArray(ids))) AS found,
                       (SELECT sum(q) FROM unnest(\(PostgresArray([1, 20, 300]))) AS q) AS total,
                       pg_typeof(\(PostgresArray([7])))::text AS type
                """
            ).first)
        #expect(try row.int("n") == 3)
        #expect(try row.bool("found"))
        #expect(try row.int("total") == 321)
        #expect(try row.string("type") == "bigint[]")
        let empty = try connection.query("SELECT cardinality(\(PostgresArray([UUID]()))) AS n").first
        #expect(try empty?.int("n") == 0)
    }
}
