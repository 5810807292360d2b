import CPostgres
import Foundation
import Signals

/// One libpq connection. Blocking calls; use it from one thread at a time
/// (the pool hands it to one body at a time). Not `Sendable` on purpose.
///
/// Statements run with text-format parameters and results, as named
/// prepared statements: the first run of a statement (by SQL text and
/// parameter types) on a connection parses it there, every later run only
/// binds and executes it, so the server parses and plans it once per
/// connection (see `PreparedStatementCache`). Each call is one round trip,
/// sent in libpq's pipeline mode so that a statement's first preparation
/// and a transaction's deferred start travel with it. Statements whose
/// result nobody reads can wait for a pool transaction's `COMMIT` and
/// travel with it (`executeAtCommit`).
///
/// Sessions run with `TimeZone = 'UTC'` and `DateStyle = 'ISO'` so
/// timestamps read back the same everywhere.
public final class PostgresConnection {
    private var handle: OpaquePointer?
    /// Valid only while `handle` is: emptied whenever the connection closes.
    private var statements: PreparedStatementCache
    /// Evicted statements still prepared on the server, deallocated when the
    /// connection is next outside a transaction: a `DEALLOCATE` that failed
    /// inside one would abort the caller's transaction.
    private var retiredStatements: [String] = []
    /// `BEGIN` and the tenant setting of a pool transaction, held back to be
    /// sent in one round trip with the body's first statement.
    private var transactionStart: [PostgresQuery] = []
    /// True from `deferTransactionStart` until the pool commits or abandons
    /// that transaction: only then may `executeAtCommit` hold a statement back.
    private var isInPoolTransaction = false
    /// Statements of `executeAtCommit`, sent in order with `COMMIT`.
    private var statementsAtCommit: [PostgresQuery] = []
    /// Set when `queryAndCommit` committed the pool transaction from inside
    /// its body: the pool's own commit then has nothing left to send.
    private var committedByBody = false
    /// The settings of a `PostgresPool.autocommit` body (the tenant, the
    /// durability), sent ahead of each of its statements in the same round
    /// trip, so that each runs in its own implicit transaction with them in
    /// force; nil outside such a body.
    private var statementScope: [PostgresQuery]?
    /// Set when the round trip carrying `transactionStart` lost the
    /// connection: nothing of the transaction can have been committed.
    private(set) var lostConnectionStartingTransaction = false
    var counters = DatabaseCounters.unpooled

    /// How many prepared statements a connection keeps before evicting the least recently used.
    static let statementCacheCapacity = 256

    /// Connects now. `conninfo` is a libpq `key=value` string or a
    /// `postgresql://` URI; a `connect_timeout` of 10 s applies unless it says otherwise.
    public convenience init(conninfo: String) throws {
        try self.init(conninfo: conninfo, statementCacheCapacity: PostgresConnection.statementCacheCapacity)
    }

    /// With a statement cache of `statementCacheCapacity` entries instead of the default 256 (tests).
    package init(conninfo: String, statementCacheCapacity: Int) throws {
        statements = PreparedStatementCache(capacity: statementCacheCapacity)
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
        try run([query])
    }

    /// Runs one statement and returns the number of rows it inserted, updated or deleted.
    @discardableResult
    public func execute(_ query: PostgresQuery) throws -> Int {
        try run([query]).affectedRows
    }

    /// Runs a statement whose result nobody reads in the same round trip as
    /// the `COMMIT` of the pool transaction this connection serves, after
    /// every statement the body runs itself; it costs no round trip of its own.
    ///
    /// Statements queued this way run in the order they were queued. An error
    /// in one of them fails the transaction like any other statement's: it
    /// is rolled back and `transaction` throws that `PostgresError` (or runs
    /// the body again on a serialization failure or deadlock). If the body
    /// throws, they are never sent. The statement is checked now, so a
    /// malformed one fails here.
    ///
    /// Outside `PostgresPool.transaction` (a plain `withConnection`, even
    /// inside a `BEGIN` the caller sent itself) nobody would send the queue,
    /// so the statement runs at once, like `execute`.
    ///
    ///     try pool.transaction(tenant: tenant) { db in
    ///         try db.execute("UPDATE orders SET status = 'cancelled' WHERE …")
    ///         try db.executeAtCommit("INSERT INTO orders.outbox …")
    ///     }
    public func executeAtCommit(_ query: PostgresQuery) throws {
        guard isInPoolTransaction else {
            try execute(query)
            return
        }
        try PostgresConnection.validate(query)
        statementsAtCommit.append(query)
    }

    /// Runs `query` as the last statement of the pool transaction this
    /// connection serves and commits it in the same round trip (after the
    /// statements of `executeAtCommit`), returning the query's rows: for a
    /// transaction whose last statement answers something the caller still
    /// needs once it is committed. The transaction is over when this
    /// returns: the body sends nothing after it (a statement it tries
    /// throws), and the pool's commit sends nothing. An error fails the
    /// transaction like `executeAtCommit`'s: rolled back, thrown by
    /// `transaction`, the body run again on a serialization failure or
    /// deadlock; a lost connection leaves the outcome unknown, as a lost
    /// `COMMIT` does. Outside `PostgresPool.transaction` it is `query`.
    ///
    ///     try pool.transaction(tenant: tenant) { db in
    ///         let stock = try db.query("SELECT … FOR UPDATE")
    ///         return try db.queryAndCommit("INSERT INTO inventory.reservations … RETURNING created_at")
    ///     }
    public func queryAndCommit(_ query: PostgresQuery) throws -> PostgresRows {
        guard isInPoolTransaction else { return try self.query(query) }
        try PostgresConnection.validate(query)
        let queued = statementsAtCommit
        statementsAtCommit = []
        let rows = try run(queued + [query, "COMMIT"], commits: true, rowsOf: queued.count)
        committedByBody = true
        counters.countCommit()
        return rows
    }

    /// Runs several `;`-separated statements without parameters, in one round
    /// trip. For migrations and provisioning only: nothing here may come from input.
    public func executeScript(_ sql: String) throws {
        guard !sql.utf8.contains(0) else { throw PostgresError.invalidQuery("the SQL text contains a NUL byte") }
        // The simple protocol cannot join a pipeline: a held-back transaction start goes first, alone.
        if !transactionStart.isEmpty { _ = try run([]) }
        let handle = try liveHandle()
        let started = SignalClock.monotonic()
        defer { DatabaseTime.add(since: started) }
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
        // Prepared statements die with the server session.
        statements.removeAll()
        retiredStatements.removeAll()
        transactionStart.removeAll()
        statementsAtCommit.removeAll()
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

    // MARK: - Transactions

    /// Holds back the statements that open a transaction (`BEGIN`, the
    /// tenant setting) until the next statement, and sends them with it in
    /// one round trip. They are checked now, so a malformed one fails before
    /// the transaction's body runs. Their errors surface from that next statement.
    func deferTransactionStart(_ statements: [PostgresQuery]) throws {
        for statement in statements { try PostgresConnection.validate(statement) }
        _ = try liveHandle()
        transactionStart = statements
        statementsAtCommit = []
        isInPoolTransaction = true
        lostConnectionStartingTransaction = false
    }

    /// Sends `statements` (the tenant setting) ahead of every statement from
    /// now until `endPoolTransaction`, in its round trip: with no `BEGIN`,
    /// the statements up to a pipeline's Sync are one implicit transaction,
    /// so each statement runs and commits on its own with the setting in
    /// force, and a `set_config(…, true)` among them ends with it. Checked now.
    func scopeEachStatement(_ statements: [PostgresQuery]) throws {
        for statement in statements { try PostgresConnection.validate(statement) }
        _ = try liveHandle()
        statementScope = statements
    }

    /// Commits the pool transaction: the statements of `executeAtCommit`
    /// and `COMMIT` in one round trip, preceded by the held-back start when
    /// no other statement sent it. A body that ran and queued nothing opened
    /// no transaction, and nothing is sent.
    func commitPoolTransaction() throws {
        defer { endPoolTransaction() }
        if committedByBody { return }
        let queued = statementsAtCommit
        statementsAtCommit = []
        if queued.isEmpty, !transactionStart.isEmpty { return }
        _ = try run(queued + ["COMMIT"], commits: true)
        counters.countCommit()
    }

    /// Forgets a pool transaction's unsent start and queued statements (the
    /// body threw, or the connection goes back to the pool). Whatever was
    /// sent is the caller's to roll back.
    func endPoolTransaction() {
        transactionStart.removeAll()
        statementsAtCommit.removeAll()
        statementScope = nil
        isInPoolTransaction = false
        committedByBody = false
    }

    // MARK: - Running statements

    /// Runs `queries`, preceded by any held-back transaction start, in one
    /// round trip; an empty list runs only the start. Returns the rows of
    /// `queries[rowsOf]`, the last one when nil. `commits`: the list ends
    /// with `COMMIT`, so a lost connection leaves the outcome unknown even
    /// when it carried the start.
    private func run(_ queries: [PostgresQuery], commits: Bool = false, rowsOf: Int? = nil) throws -> PostgresRows {
        guard !committedByBody else {
            throw PostgresError.invalidQuery("the transaction was committed by queryAndCommit: nothing may follow it")
        }
        for query in queries { try PostgresConnection.validate(query) }
        if !retiredStatements.isEmpty, let handle, PQtransactionStatus(handle) == PQTRANS_IDLE {
            deallocateRetiredStatements(handle)
        }
        let handle = try liveHandle()
        let start = transactionStart
        transactionStart = []
        let autocommit = start.isEmpty && PQtransactionStatus(handle) == PQTRANS_IDLE
        // An autocommit body's statements each commit with their round trip.
        let scope = autocommit ? statementScope : nil
        let ahead = start.count + (scope?.count ?? 0)
        switch pipeline(start + (scope ?? []) + queries, rowsOf: rowsOf.map { ahead + $0 }, handle: handle) {
        case .succeeded(let rows):
            if scope != nil { counters.countCommit() }
            return rows
        case .failed(let error, let staleStatement):
            // A cached statement the server no longer has, or whose result
            // columns changed under it (DDL since it was prepared): it was
            // dropped from the cache. Outside a transaction nothing ran, so
            // preparing it afresh and running it once more is invisible.
            if staleStatement, autocommit, queries.count == 1, let query = queries.first, let handle = self.handle,
                PQtransactionStatus(handle) == PQTRANS_IDLE
            {
                switch pipeline((scope ?? []) + [query], rowsOf: nil, handle: handle) {
                case .succeeded(let rows):
                    if scope != nil { counters.countCommit() }
                    return rows
                case .failed(let error, _): throw error
                }
            }
            if !start.isEmpty, !commits, error.isConnectionFailure { lostConnectionStartingTransaction = true }
            throw error
        }
    }

    private static let noRows = PostgresRows(
        storage: PostgresRows.Storage(columns: [], values: [], rowCount: 0, affectedRows: 0))
    private static let unsupported = PostgresError(
        kind: .invalidQuery, message: "unsupported result status (COPY is not supported)")

    private enum PipelineOutcome {
        /// The rows of the statement asked for (empty when there was none).
        case succeeded(PostgresRows)
        /// The first error. `staleStatement`: a cached statement failed as
        /// missing or outdated on the server and was dropped from the cache.
        case failed(PostgresError, staleStatement: Bool)
    }

    /// One statement of a pipeline: its cached name, and whether it must be
    /// parsed (prepared) there first.
    private struct Step {
        let query: PostgresQuery
        let key: PreparedStatementCache.Key
        let name: String
        let prepares: Bool
    }

    /// Sends `queries` in pipeline mode followed by one Sync, then reads every
    /// result, keeping the rows of `queries[rowsOf]` (the last when nil): one
    /// round trip. After the first error the server skips the rest
    /// (`PGRES_PIPELINE_ABORTED`), exactly as separate calls would have
    /// stopped at that error. A statement enters the cache only once the
    /// server confirmed its Parse: a failed or skipped one leaves no name behind.
    private func pipeline(_ queries: [PostgresQuery], rowsOf: Int?, handle: OpaquePointer) -> PipelineOutcome {
        // The module signals' database time: this thread waited on PostgreSQL for the whole round trip.
        let started = SignalClock.monotonic()
        defer { DatabaseTime.add(since: started) }
        var steps: [Step] = []
        steps.reserveCapacity(queries.count)
        for query in queries {
            let key = PreparedStatementCache.Key(query)
            if let name = statements.name(for: key) {
                steps.append(Step(query: query, key: key, name: name, prepares: false))
            } else if let earlier = steps.first(where: { $0.key == key }) {
                steps.append(Step(query: query, key: key, name: earlier.name, prepares: false))
            } else {
                steps.append(Step(query: query, key: key, name: statements.makeName(), prepares: true))
            }
        }
        guard !steps.isEmpty else { return .succeeded(PostgresConnection.noRows) }

        guard PQenterPipelineMode(handle) == 1 else { return abandon(handle, nil) }
        for step in steps where !send(step, handle: handle) { return abandon(handle, nil) }
        guard PQpipelineSync(handle) == 1 else { return abandon(handle, nil) }
        counters.countRoundTrip(statements: steps.count)

        var firstError: PostgresError?
        var staleStatement = false
        var rows: PostgresRows?
        for (position, step) in steps.enumerated() {
            if step.prepares {
                switch nextReply(handle, { _ in }) {
                case .succeeded:
                    if let evicted = statements.insert(step.key, name: step.name) { retiredStatements.append(evicted) }
                case .failed(let error): firstError = firstError ?? error
                case .skipped: break
                case .lost: return abandon(handle, firstError)
                case .unsupported: return abandon(handle, firstError, unsupported: true)
                }
            }
            let isKept = position == (rowsOf ?? steps.count - 1)
            switch nextReply(handle, { result in if isKept { rows = self.rows(of: result) } }) {
            case .succeeded, .skipped:
                break
            case .failed(let error):
                firstError = firstError ?? error
                // 26000: the name is gone (DEALLOCATE ALL, DISCARD ALL behind our back).
                // 0A000: "cached plan must not change result type" after DDL.
                if !step.prepares, error.sqlState == "26000" || error.sqlState == "0A000" {
                    if statements.remove(step.key) != nil, error.sqlState == "0A000" {
                        retiredStatements.append(step.name)
                    }
                    staleStatement = true
                }
            case .lost:
                return abandon(handle, firstError)
            case .unsupported:
                return abandon(handle, firstError, unsupported: true)
            }
        }
        guard let sync = PQgetResult(handle) else { return abandon(handle, firstError) }
        let synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC
        PQclear(sync)
        guard synced, PQexitPipelineMode(handle) == 1 else { return abandon(handle, firstError) }
        if let firstError { return .failed(firstError, staleStatement: staleStatement) }
        return .succeeded(rows ?? PostgresConnection.noRows)
    }

    /// Queues one statement: Parse if it is new here, then Bind/Describe/Execute.
    private func send(_ step: Step, handle: OpaquePointer) -> Bool {
        let binds = step.query.binds
        if step.prepares {
            let types = binds.map { Oid($0.typeOID) }
            let queued = types.withUnsafeBufferPointer { typePointers in
                PQsendPrepare(handle, step.name, step.query.sql, Int32(binds.count), typePointers.baseAddress)
            }
            guard queued == 1 else { return false }
        }
        let values = binds.map { $0.text.map { UnsafePointer(strdup($0)) } ?? nil }
        defer { for value in values { free(UnsafeMutablePointer(mutating: value)) } }
        return values.withUnsafeBufferPointer { valuePointers in
            PQsendQueryPrepared(handle, step.name, Int32(binds.count), valuePointers.baseAddress, nil, nil, 0)
        } == 1
    }

    private enum Reply {
        case succeeded
        case failed(PostgresError)
        /// `PGRES_PIPELINE_ABORTED`: not run, an earlier statement of the pipeline failed.
        case skipped
        case lost
        case unsupported
    }

    /// Reads the next command's result and the NULL that ends it.
    /// `.lost`: no result where one was due (the connection failed).
    /// `.unsupported`: a result this class does not drive (COPY). Either way
    /// the protocol state is unknown.
    private func nextReply(_ handle: OpaquePointer, _ onSuccess: (OpaquePointer) -> Void) -> Reply {
        guard let result = PQgetResult(handle) else { return .lost }
        let reply: Reply
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            onSuccess(result)
            reply = .succeeded
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR:
            reply = .failed(error(from: result, handle: handle))
        case PGRES_PIPELINE_ABORTED:
            reply = .skipped
        default:
            reply = .unsupported
        }
        PQclear(result)
        if let extra = PQgetResult(handle) {
            PQclear(extra)
            return .lost
        }
        return reply
    }

    /// A pipeline that cannot be finished in order leaves the connection in
    /// an unknown state: it is closed (the pool replaces it) and the first
    /// error seen, or libpq's, is reported, as a connection failure unless it
    /// is `unsupported`. (A terminated backend's FATAL message arrives as an
    /// ordinary error result before libpq sees the connection close.)
    private func abandon(_ handle: OpaquePointer, _ firstError: PostgresError?, unsupported: Bool = false)
        -> PipelineOutcome
    {
        let message = PostgresConnection.trimmed(PQerrorMessage(handle))
        close()
        if unsupported { return .failed(firstError ?? PostgresConnection.unsupported, staleStatement: false) }
        var error = firstError ?? PostgresError(kind: .connectionFailed, message: message)
        error.kind = .connectionFailed
        return .failed(error, staleStatement: false)
    }

    /// Drops statements evicted from the cache. Called only outside a
    /// transaction, so a failure here (the name already gone) touches
    /// nothing else; the names are generated, never input.
    private func deallocateRetiredStatements(_ handle: OpaquePointer) {
        let names = retiredStatements
        retiredStatements.removeAll()
        let script = names.map { "DEALLOCATE \($0)" }.joined(separator: "; ")
        let failed = (try? consume(PQexec(handle, script), handle: handle)) == nil
        if failed, names.count > 1, let handle = self.handle, PQstatus(handle) == CONNECTION_OK {
            // One missing name stops the script at that statement: free the others one by one.
            for name in names { _ = try? consume(PQexec(handle, "DEALLOCATE \(name)"), handle: handle) }
        }
    }

    private static func validate(_ query: PostgresQuery) throws {
        if let problem = query.problem { throw PostgresError.invalidQuery(problem) }
        guard !query.sql.utf8.contains(0) else { throw PostgresError.invalidQuery("the SQL text contains a NUL byte") }
        // A C string ends at the first NUL: such a value would be cut short
        // silently, so it is refused instead (PostgreSQL text cannot hold NUL anyway).
        for (position, bind) in query.binds.enumerated() where bind.text?.utf8.contains(0) == true {
            throw PostgresError.invalidQuery("parameter $\(position + 1) contains a NUL byte")
        }
    }

    private func consume(_ result: OpaquePointer?, handle: OpaquePointer) throws -> PostgresRows {
        counters.countRoundTrip(statements: 1)
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
