import Foundation

/// A PostgreSQL array literal of UUIDs, to send a list as one bind parameter
/// (`= ANY($1::uuid[])`). Safe because every element is a parsed `UUID`,
/// whose text is only hex digits and hyphens: no quoting is ever needed.
enum UUIDArray {
    static func literal(_ ids: [UUID]) -> String {
        "{" + ids.map(\.uuidString).joined(separator: ",") + "}"
    }
}
