/// One difference `ContractCompatibility` found between what a caller
/// expects of a module and what a service serves, and whether it breaks the
/// caller.
///
///     payments.charge response .payment.amount_cents: breaking: type changed integer → string
public struct ContractFinding: Sendable, Equatable, Comparable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        /// The caller's calls would fail or read wrong data.
        case breaking
        /// A change the caller can live with: noted, not refused.
        case additive

        public static func < (a: Severity, b: Severity) -> Bool { a == .breaking && b == .additive }
    }

    public enum Kind: String, Sendable, Comparable {
        // Breaking.
        case moduleMismatch = "module_mismatch"
        case operationMissing = "operation_missing"
        case noLongerReadOnly = "no_longer_read_only"
        case typeChanged = "type_changed"
        /// A request field the service requires that the caller does not send.
        case requiredFieldAdded = "required_field_added"
        /// A field the reader requires that the writer may leave out.
        case mayBeOmitted = "may_be_omitted"
        /// A response field the caller requires that the service no longer sends.
        case fieldRemoved = "field_removed"
        /// A field the reader does not know, in an object that refuses unknown keys.
        case unknownFieldRefused = "unknown_field_refused"
        case unreadableShape = "unreadable_shape"
        // Additive.
        case newOperation = "new_operation"
        case newOptionalField = "new_optional_field"
        case newField = "new_field"
        /// A request field the caller sends that the service no longer reads.
        case fieldIgnored = "field_ignored"
        /// An optional response field the caller reads that the service no longer sends.
        case optionalFieldDropped = "optional_field_dropped"
        case nowReadOnly = "now_read_only"
        /// A sample had `null` or an empty array where the other had a type: nothing to compare.
        case notCompared = "not_compared"

        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    public enum Part: String, Sendable, Comparable {
        case operation, request, response

        public static func < (a: Part, b: Part) -> Bool { a.order < b.order }
        private var order: Int {
            switch self {
            case .operation: 0
            case .request: 1
            case .response: 2
            }
        }
    }

    public var severity: Severity
    public var kind: Kind
    /// The operation's name; the module's for a module mismatch.
    public var operation: String
    public var part: Part
    /// `.payment.amount_cents`, `.lines[].sku`; empty for the whole body or operation.
    public var path: String
    /// Why, in words: `type changed integer → string`.
    public var reason: String

    public init(_ severity: Severity, _ kind: Kind, operation: String, part: Part, path: String = "", reason: String) {
        self.severity = severity
        self.kind = kind
        self.operation = operation
        self.part = part
        self.path = path
        self.reason = reason
    }

    public var isBreaking: Bool { severity == .breaking }

    /// `payments.charge response .payment.amount_cents`, `payments.refund`.
    public var location: String {
        switch part {
        case .operation: operation
        case .request, .response: "\(operation) \(part.rawValue) \(path.isEmpty ? "(body)" : path)"
        }
    }

    public var description: String { "\(location): \(severity.rawValue): \(reason)" }

    /// Breaking first, then by operation, part, path and kind: the same two
    /// descriptions always give the same list.
    public static func < (a: ContractFinding, b: ContractFinding) -> Bool {
        (a.severity, a.operation, a.part, a.path, a.kind, a.reason) < (b.severity, b.operation, b.part, b.path, b.kind, b.reason)
    }
}
