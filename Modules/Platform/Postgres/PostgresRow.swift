import CPostgres
import Foundation

/// One row of a result, read by column name.
///
/// Values arrive in PostgreSQL's text format; each accessor parses the text
/// and throws a `.decoding` `PostgresError` when the column is missing, NULL
/// (for the non-optional accessors) or not in the expected format. The
/// message names the column, never the value.
public struct PostgresRow: Sendable {
    let storage: PostgresRows.Storage
    let index: Int

    public var columns: [String] { storage.columns }

    /// The raw text of a column, nil for NULL.
    public func text(_ column: String) throws -> String? {
        guard let position = storage.columnIndex[column] else {
            throw PostgresError.decoding("no column \"\(column)\" in the result")
        }
        return storage.values[index * storage.columns.count + position]
    }

    public func isNull(_ column: String) throws -> Bool { try text(column) == nil }

    public func string(_ column: String) throws -> String { try required(column, optionalString(column)) }
    public func optionalString(_ column: String) throws -> String? { try text(column) }

    public func int(_ column: String) throws -> Int { try required(column, optionalInt(column)) }
    public func optionalInt(_ column: String) throws -> Int? { try decode(column, "an integer") { Int($0) } }

    public func int64(_ column: String) throws -> Int64 { try required(column, optionalInt64(column)) }
    public func optionalInt64(_ column: String) throws -> Int64? {
        try decode(column, "an integer") { Int64($0) }
    }

    public func int32(_ column: String) throws -> Int32 { try required(column, optionalInt32(column)) }
    public func optionalInt32(_ column: String) throws -> Int32? {
        try decode(column, "an integer") { Int32($0) }
    }

    public func bool(_ column: String) throws -> Bool { try required(column, optionalBool(column)) }
    public func optionalBool(_ column: String) throws -> Bool? {
        try decode(column, "a boolean") { text in
            switch text {
            case "t", "true": true
            case "f", "false": false
            default: nil
            }
        }
    }

    public func double(_ column: String) throws -> Double { try required(column, optionalDouble(column)) }
    public func optionalDouble(_ column: String) throws -> Double? {
        try decode(column, "a float") { text in
            switch text {
            case "Infinity": .infinity
            case "-Infinity": -.infinity
            case "NaN": .nan
            default: Double(text)
            }
        }
    }

    /// A timestamptz (or timestamp, read as UTC, or date, at midnight UTC).
    public func date(_ column: String) throws -> Date { try required(column, optionalDate(column)) }
    public func optionalDate(_ column: String) throws -> Date? {
        try decode(column, "a timestamp") { PostgresTimestamp.parse($0) }
    }

    public func uuid(_ column: String) throws -> UUID { try required(column, optionalUUID(column)) }
    public func optionalUUID(_ column: String) throws -> UUID? {
        try decode(column, "a uuid") { UUID(uuidString: $0) }
    }

    /// A bytea column.
    public func bytes(_ column: String) throws -> [UInt8] { try required(column, optionalBytes(column)) }
    public func optionalBytes(_ column: String) throws -> [UInt8]? {
        try decode(column, "a bytea") { text in
            // libpq's own decoder reads both the hex and the legacy escape format.
            var length = 0
            guard let decoded = PQunescapeBytea(text, &length) else { return nil }
            defer { PQfreemem(decoded) }
            return Array(UnsafeBufferPointer(start: decoded, count: length))
        }
    }

    private func decode<Value>(_ column: String, _ what: String, _ parse: (String) -> Value?) throws -> Value? {
        guard let text = try text(column) else { return nil }
        guard let value = parse(text) else {
            throw PostgresError.decoding("column \"\(column)\" is not \(what)")
        }
        return value
    }

    private func required<Value>(_ column: String, _ value: Value?) throws -> Value {
        guard let value else { throw PostgresError.decoding("column \"\(column)\" is NULL") }
        return value
    }
}
