import CPostgres
import Foundation

/// One libpq connection. Blocking calls; use it from one thread at a time
/// (the pool hands it to one body at a time). Not `Sendable` on purpose.
///
/// Every statement goes through `PQexecParams` with text-format parameters
/// and results. Sessions run with `TimeZone = 'UTC'` and `DateStyle = 'ISO'`
/// so timestamps read back the same everywhere.
public final class PostgresConnection {
    private var handle: OpaquePointer?

    /// Connects now. `conninfo` is a libpq `key=value` string or a
    /// `postgresql://` URI; a `connect_timeout` of 10 s applies unless it says otherwise.
    public init(conninfo: String) throws {
        guard ConnectionInfo.isWellFormed(conninfo) else {
            // libpq's parse error quotes the string, which may hold a password.
            throw PostgresError(kind: .connectionFailed, message: "malformed connection string")
        }
        // Defaults first: keywords expanded from `dbname` override the earlier ones.
        let keywords = ["connect_timeout", "client_encoding", "dbname"]
        let values = ["10", "UTF8", conninfo]
        let connection = withCStringArray(keywords) { keywordPointers in
            withCStringArray(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PostgresError(kind: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = PostgresConnection.trimmed(PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(kind: .connectionFailed, message: message)
        }
        // libpq prints notices ("relation already exists, skipping") to stderr by default.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
        do {
            try executeScript("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'")
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Runs one statement and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) throws -> PostgresRows {
        try run(query)
    }

    /// Runs one statement and returns the number of rows it inserted, updated or deleted.
    @discardableResult
    public func execute(_ query: PostgresQuery) throws -> Int {
        try run(query).affectedRows
    }

    /// Runs several `;`-separated statements without parameters, in one round
    /// trip. For migrations and provisioning only: nothing here may come from input.
    public func executeScript(_ sql: String) throws {
        let handle = try liveHandle()
        guard !sql.utf8.contains(0) else { throw PostgresError.invalidQuery("the SQL text contains a NUL byte") }
        _ = try consume(PQexec(handle, sql), handle: handle)
    }

    /// The server process serving this connection (for `pg_terminate_backend` in tests and tools).
    public var backendPID: Int32 {
        guard let handle else { return 0 }
        return PQbackendPID(handle)
    }

    /// True once the connection is closed or libpq has seen it fail.
    public var isBroken: Bool {
        guard let handle else { return true }
        return PQstatus(handle) != CONNECTION_OK
    }

    public func close() {
        if let handle {
            PQfinish(handle)
            self.handle = nil
        }
    }

    enum TransactionState { case idle, busy, inTransaction, failedTransaction, unknown }

    var transactionState: TransactionState {
        guard let handle else { return .unknown }
        switch PQtransactionStatus(handle) {
        case PQTRANS_IDLE: return .idle
        case PQTRANS_ACTIVE: return .busy
        case PQTRANS_INTRANS: return .inTransaction
        case PQTRANS_INERROR: return .failedTransaction
        default: return .unknown
        }
    }

    /// Whether an idle connection is still usable, without a round trip: an
    /// idle socket only becomes readable when the server sent something
    /// unsolicited, usually a FATAL message and EOF (`pg_terminate_backend`,
    /// a restart). Letting libpq read it updates `PQstatus`.
    func isAliveWhileIdle() -> Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return false }
        // The FATAL message and the EOF after it may take one read each.
        for _ in 0..<4 {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { break }
            if PQconsumeInput(handle) == 0 || PQstatus(handle) != CONNECTION_OK { return false }
        }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// A SCRAM verifier for `password`, computed by libpq on this side so the
    /// clear password never appears in a statement (or in the server's log).
    func encryptedPassword(_ password: String, role: String) throws -> String {
        let handle = try liveHandle()
        guard let encrypted = PQencryptPasswordConn(handle, password, role, "scram-sha-256") else {
            throw PostgresError(
                kind: .connectionFailed, message: PostgresConnection.trimmed(PQerrorMessage(handle)))
        }
        defer { PQfreemem(encrypted) }
        return String(cString: encrypted)
    }

    /// A quoted string literal, for the utility statements (`ALTER ROLE … PASSWORD`)
    /// that take no parameters. Escaped by libpq for this connection's encoding.
    func quotedLiteral(_ text: String) throws -> String {
        let handle = try liveHandle()
        guard !text.utf8.contains(0) else { throw PostgresError.invalidQuery("a literal contains a NUL byte") }
        guard let quoted = PQescapeLiteral(handle, text, text.utf8.count) else {
            throw PostgresError.invalidQuery(PostgresConnection.trimmed(PQerrorMessage(handle)))
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    // MARK: - Running statements

    private func run(_ query: PostgresQuery) throws -> PostgresRows {
        if let problem = query.problem { throw PostgresError.invalidQuery(problem) }
        let handle = try liveHandle()
        guard !query.sql.utf8.contains(0) else { throw PostgresError.invalidQuery("the SQL text contains a NUL byte") }
        // A C string ends at the first NUL: such a value would be cut short
        // silently, so it is refused instead (PostgreSQL text cannot hold NUL anyway).
        for (position, bind) in query.binds.enumerated() where bind.text?.utf8.contains(0) == true {
            throw PostgresError.invalidQuery("parameter $\(position + 1) contains a NUL byte")
        }
        let values = query.binds.map { $0.text.map { UnsafePointer(strdup($0)) } ?? nil }
        defer { for value in values { free(UnsafeMutablePointer(mutating: value)) } }
        let types: [Oid] = query.binds.map { Oid($0.typeOID) }
        let result = values.withUnsafeBufferPointer { valuePointers in
            types.withUnsafeBufferPointer { typePointers in
                PQexecParams(
                    handle, query.sql, Int32(query.binds.count), typePointers.baseAddress,
                    valuePointers.baseAddress, nil, nil, 0)
            }
        }
        return try consume(result, handle: handle)
    }

    private func consume(_ result: OpaquePointer?, handle: OpaquePointer) throws -> PostgresRows {
        guard let result else {
            // No result at all: out of memory, or the connection is gone.
            throw PostgresError(
                kind: .connectionFailed, message: PostgresConnection.trimmed(PQerrorMessage(handle)))
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return rows(of: result)
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR:
            throw error(from: result, handle: handle)
        default:
            // COPY and friends leave the protocol in a state this class does
            // not drive; the connection cannot be reused.
            close()
            throw PostgresError(
                kind: .invalidQuery, message: "unsupported result status (COPY is not supported)")
        }
    }

    private func rows(of result: OpaquePointer) -> PostgresRows {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var values: [String?] = []
        values.reserveCapacity(columnCount * rowCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) != 0 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, row, column)))
                }
            }
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresRows(
            storage: PostgresRows.Storage(
                columns: columns, values: values, rowCount: rowCount, affectedRows: affected))
    }

    private func error(from result: OpaquePointer, handle: OpaquePointer) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let broken = PQstatus(handle) != CONNECTION_OK
        let message = field("M") ?? PostgresConnection.trimmed(PQresultErrorMessage(result))
        return PostgresError(
            kind: broken ? .connectionFailed : .server,
            sqlState: field("C"), message: message, detail: field("D"), hint: field("H"),
            constraintName: field("n"), schemaName: field("s"), tableName: field("t"),
            columnName: field("c"))
    }

    private func liveHandle() throws -> OpaquePointer {
        guard let handle else { throw PostgresError(kind: .connectionFailed, message: "the connection is closed") }
        return handle
    }

    private static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "unknown libpq error" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Calls `body` with a NULL-terminated C array of C strings that lives for the call.
private func withCStringArray<Result>(
    _ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result
) -> Result {
    let copies: [UnsafePointer<CChar>?] = strings.map { UnsafePointer(strdup($0)) } + [nil]
    defer { for copy in copies { free(UnsafeMutablePointer(mutating: copy)) } }
    return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
}
