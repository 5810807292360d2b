import Foundation

/// A list sent as one typed array parameter, so a query takes any number of
/// values with one bind and one prepared plan:
///
///     "SELECT … WHERE id = ANY(\(PostgresArray(ids)))"
///     "SELECT … FROM unnest(\(PostgresArray(ids)), \(PostgresArray(quantities)))"
public struct PostgresArray<Element: PostgresArrayElement>: PostgresBindable {
    public var elements: [Element]

    public init(_ elements: [Element]) { self.elements = elements }

    public var postgresBind: PostgresBind {
        PostgresBind(
            text: "{" + elements.map(\.postgresArrayElementText).joined(separator: ",") + "}",
            typeOID: Element.postgresArrayTypeOID)
    }
}

/// A value that can stand in a `PostgresArray`: its array type, and its
/// text inside an array literal (never needing quotes: digits, hex, hyphens).
public protocol PostgresArrayElement: Sendable {
    static var postgresArrayTypeOID: UInt32 { get }
    var postgresArrayElementText: String { get }
}

extension UUID: PostgresArrayElement {
    public static var postgresArrayTypeOID: UInt32 { 2951 }  // uuid[]
    public var postgresArrayElementText: String { uuidString }
}

extension Int: PostgresArrayElement {
    public static var postgresArrayTypeOID: UInt32 { 1016 }  // int8[]
    public var postgresArrayElementText: String { String(self) }
}
