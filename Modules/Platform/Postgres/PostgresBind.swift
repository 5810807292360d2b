/// One bind parameter: its PostgreSQL text form and type.
///
/// Strings go out with type OID 0 ("unknown") so the server infers the type
/// from context — a `String` compares with text, varchar and uuid columns
/// alike. Other values are typed so that `SELECT \(1)` is an int8 and not an
/// ambiguous literal.
public struct PostgresBind: Sendable, Equatable {
    /// nil is SQL NULL.
    public var text: String?
    public var typeOID: UInt32

    public init(text: String?, typeOID: UInt32) {
        self.text = text
        self.typeOID = typeOID
    }

    static let null = PostgresBind(text: nil, typeOID: 0)
}

/// Type OIDs from pg_type.dat; stable across PostgreSQL versions.
enum PostgresTypeOID {
    static let unknown: UInt32 = 0
    static let bool: UInt32 = 16
    static let bytea: UInt32 = 17
    static let int8: UInt32 = 20
    static let int4: UInt32 = 23
    static let float8: UInt32 = 701
    static let timestamptz: UInt32 = 1184
    static let uuid: UInt32 = 2950
}
