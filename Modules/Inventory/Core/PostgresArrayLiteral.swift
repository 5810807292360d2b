import Foundation

/// PostgreSQL array literals, to send a list as one bind parameter
/// (`= ANY($1::uuid[])`, `unnest($1::uuid[], $2::int[])`). Safe without
/// quoting because every element is a parsed `UUID` (hex digits and
/// hyphens) or an integer.
enum PostgresArrayLiteral {
    static func uuids(_ ids: [UUID]) -> String {
        "{" + ids.map(\.uuidString).joined(separator: ",") + "}"
    }

    static func integers(_ values: [Int]) -> String {
        "{" + values.map(String.init).joined(separator: ",") + "}"
    }
}
