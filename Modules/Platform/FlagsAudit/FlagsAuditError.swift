/// A flag change or application the audit log refuses before it reaches the
/// database, naming the field at fault (`reason`, `changes[2].tenant`).
///
/// The database refuses the same (CHECK constraints), with a PostgreSQL
/// error instead; this one says which field, in words an operator can act on.
public struct FlagsAuditError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
