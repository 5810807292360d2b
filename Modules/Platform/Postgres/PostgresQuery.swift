/// A statement whose interpolated values become `$n` bind parameters, so SQL
/// is never built from input: injection is impossible by construction.
///
///     let rows = try connection.query(
///         "SELECT id FROM auth.users WHERE username = \(name) AND active = \(true)")
///     // sent as: SELECT id FROM auth.users WHERE username = $1 AND active = $2
///
/// Values may be `String`, `Int`, `Int64`, `Int32`, `Bool`, `Double`, `UUID`,
/// `Date` (timestamptz), `[UInt8]` (bytea), or optionals of them (nil is NULL).
/// `\(identifier: "auth")` splices a double-quoted identifier for the places a
/// parameter cannot go (schema names in provisioning); it accepts only
/// `[a-z_][a-z0-9_]*`, and is meant for code constants, never for input.
public struct PostgresQuery: ExpressibleByStringInterpolation, Sendable, CustomStringConvertible {
    /// The SQL text with `$1`, `$2`, … placeholders.
    public private(set) var sql: String
    public private(set) var binds: [PostgresBind]
    /// Set when an interpolation was refused; the query then fails when run
    /// instead of trapping while it is being built.
    private(set) var problem: String?

    public init(stringLiteral value: String) {
        sql = value
        binds = []
    }

    public init(stringInterpolation: StringInterpolation) {
        sql = stringInterpolation.sql
        binds = stringInterpolation.binds
        problem = stringInterpolation.problem
    }

    /// The SQL only: parameters stay out of logs.
    public var description: String { sql }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [PostgresBind] = []
        var problem: String?

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        public mutating func appendInterpolation<Value: PostgresBindable>(_ value: Value) {
            append(value.postgresBind)
        }

        public mutating func appendInterpolation<Value: PostgresBindable>(_ value: Value?) {
            append(value?.postgresBind ?? .null)
        }

        /// A code-constant identifier such as a schema name, double-quoted.
        /// A constant SQL fragment (a column list shared by several queries).
        /// `StaticString` can only be a literal in the source, never input.
        public mutating func appendInterpolation(sql fragment: StaticString) {
            sql += fragment.description
        }

        public mutating func appendInterpolation(identifier: String) {
            if PostgresIdentifier.isValid(identifier) {
                sql += "\"\(identifier)\""
            } else {
                problem = problem ?? "identifier is not [a-z_][a-z0-9_]* of at most 63 bytes"
                sql += "\"\""
            }
        }

        private mutating func append(_ bind: PostgresBind) {
            binds.append(bind)
            sql += "$\(binds.count)"
        }
    }
}

/// The identifiers Banyan accepts for code-built names (schemas, roles, tables).
package enum PostgresIdentifier {
    /// Lowercase so that the quoted and unquoted spellings name the same object.
    package static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 63 else { return false }
        func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }  // a-z
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        guard isLower(first) || first == 0x5F else { return false }
        return bytes.allSatisfy { isLower($0) || isDigit($0) || $0 == 0x5F }
    }
}
