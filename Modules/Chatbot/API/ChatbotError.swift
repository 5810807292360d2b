import Platform

/// How a chat call fails by itself (see `ModuleError`). What the user typed
/// is answered, never refused, except a message too long to be one.
public struct ChatbotError: ModuleError {
    package enum Kind: String, ModuleErrorKind {
        case invalidInput = "validation_failed"

        package var status: Int {
            switch self {
            case .invalidInput: 422
            }
        }
    }

    package let kind: Kind
    public let detail: String

    package init(_ kind: Kind, detail: String, extensions _: [String: JSONValue] = [:]) {
        self.kind = kind
        self.detail = detail
    }
}
