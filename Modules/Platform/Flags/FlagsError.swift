/// Why a flags.json was refused, naming the field so an operator can fix the
/// line without reading code: `modules.payments.tenants.demo-cafe: must be "in-process" or "service"`.
///
/// `field` is a dotted path from the document's root; a key that is not a
/// plain word is written as `parent["the key"]`. Two pseudo-fields exist:
/// `json` (the text is not JSON; the message gives line and column) and
/// `file` (the file could not be read).
public struct FlagsError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
