/// Every failure of the Postgres layer: a kind callers may switch on, plus
/// what the server said.
///
/// `description` is deliberately terse: server messages quote input
/// ("invalid input syntax for type integer: \"…\"") and `DETAIL` lines quote
/// whole keys, so neither goes into logs by accident. They are kept in
/// `message` / `detail` and shown by `debugDescription` (`String(reflecting:)`).
/// Passwords never reach this type: connection errors come from libpq, which
/// does not echo them, and malformed connection strings are reported
/// without their text.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong, extensible without breaking callers (equality by code).
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Code: String, Hashable, Sendable {
            case connectionFailed, poolTimeout, poolClosed, server, decoding, invalidQuery
            case transactionAborted, cluster, migration, configuration
        }
        private let code: Code
        private init(_ code: Code) { self.code = code }

        /// Could not connect, or the connection broke mid-query.
        public static let connectionFailed = Kind(.connectionFailed)
        /// Every pooled connection stayed busy for the pool's wait timeout.
        public static let poolTimeout = Kind(.poolTimeout)
        /// The pool was closed.
        public static let poolClosed = Kind(.poolClosed)
        /// The server rejected a statement; see `sqlState`.
        public static let server = Kind(.server)
        /// A column was NULL, missing, or not in the requested type's text format.
        public static let decoding = Kind(.decoding)
        /// The query could not be sent as written: a NUL byte in a value, a bad identifier.
        public static let invalidQuery = Kind(.invalidQuery)
        /// A transaction body swallowed a statement error and then returned normally.
        public static let transactionAborted = Kind(.transactionAborted)
        /// The embedded cluster could not be created, started or stopped.
        public static let cluster = Kind(.cluster)
        /// A migration failed or no longer matches what was applied, or the
        /// schema was never provisioned (`Database.connect`).
        public static let migration = Kind(.migration)
        /// A setting cannot be used (a role prefix that is not an identifier).
        public static let configuration = Kind(.configuration)

        public var description: String { code.rawValue }
    }

    public var kind: Kind
    /// The five-character SQLSTATE, e.g. "23505"; nil for client-side failures.
    public var sqlState: String?
    /// The server's (or libpq's) primary message. May quote input: keep it out of logs.
    public var message: String
    /// The server's DETAIL and HINT lines. May quote input.
    public var detail: String?
    public var hint: String?
    /// Names of the objects involved (identifiers, never values).
    public var constraintName: String?
    public var schemaName: String?
    public var tableName: String?
    public var columnName: String?

    public init(
        kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, hint: String? = nil,
        constraintName: String? = nil, schemaName: String? = nil, tableName: String? = nil,
        columnName: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraintName = constraintName
        self.schemaName = schemaName
        self.tableName = tableName
        self.columnName = columnName
    }

    /// 23505: a unique index or primary key refused the row; see `constraint`.
    public var isUniqueViolation: Bool { sqlState == "23505" }
    /// The constraint a violation names (PG_DIAG_CONSTRAINT_NAME).
    public var constraint: String? { constraintName }
    public var isPoolTimeout: Bool { kind == .poolTimeout }
    public var isConnectionFailure: Bool { kind == .connectionFailed }
    /// 42501: permission denied, including a row refused by a row-level security policy.
    public var isPermissionDenied: Bool { sqlState == "42501" }
    /// 40001 serialization_failure or 40P01 deadlock_detected: running the
    /// whole transaction again may succeed.
    public var isTransient: Bool { sqlState == "40001" || sqlState == "40P01" }

    /// Kinds whose message Banyan composed itself carry it here; server text does not.
    public var description: String {
        var text = "PostgresError.\(kind)"
        if let sqlState { text += " \(sqlState)" }
        if let constraintName { text += " constraint=\(constraintName)" }
        if let schemaName, let tableName {
            text += " table=\(schemaName).\(tableName)"
        } else if let tableName {
            text += " table=\(tableName)"
        }
        switch kind {
        case .server: break
        default: text += ": \(message)"
        }
        return text
    }

    public var debugDescription: String {
        var text = description
        if kind == .server { text += ": \(message)" }
        if let detail { text += " DETAIL: \(detail)" }
        if let hint { text += " HINT: \(hint)" }
        return text
    }

    static func decoding(_ message: String) -> PostgresError {
        PostgresError(kind: .decoding, message: message)
    }

    static func invalidQuery(_ message: String) -> PostgresError {
        PostgresError(kind: .invalidQuery, message: message)
    }
}
