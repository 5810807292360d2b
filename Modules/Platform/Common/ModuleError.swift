/// A module's typed error: one of a closed list of kinds, each with its
/// stable wire code and HTTP status, plus a human `detail`.
///
/// A conformer lists its kinds and their statuses and keeps a kind and a
/// detail; this protocol gives it the rest, the same way for every module:
/// equality by kind (a detail can be reworded without breaking anyone),
/// `code`, `problem` (its wire form), `init?(problem:)` (what a remote call
/// reads back, so it throws exactly what the in-process call would) and
/// `invalidInput(field:reason:)`.
///
///     public struct RestaurantError: ModuleError {
///         package enum Kind: String, ModuleErrorKind {
///             case menuItemNotFound = "menu_item_not_found"
///             case invalidInput = "validation_failed"
///             package var status: Int {
///                 switch self {
///                 case .menuItemNotFound: 404
///                 case .invalidInput: 422
///                 }
///             }
///         }
///         package let kind: Kind
///         public let detail: String
///         package init(_ kind: Kind, detail: String, extensions _: [String: JSONValue] = [:]) { … }
///
///         public static let menuItemNotFound = RestaurantError(.menuItemNotFound, detail: "No such menu item.")
///     }
///
/// Callers compare with the static members (`error == .menuItemNotFound`);
/// the kind list is `package`, so it can grow without touching them.
package protocol ModuleError: ProblemConvertible, Equatable, Sendable {
    associatedtype Kind: ModuleErrorKind
    var kind: Kind { get }
    var detail: String { get }
    /// Members the problem carries besides the standard ones (e.g. the
    /// `items` that were out of stock); none unless the error says otherwise.
    var extensions: [String: JSONValue] { get }
    /// The error with this kind, detail and extension members: how a static
    /// member is made, and how a received problem is read back.
    init(_ kind: Kind, detail: String, extensions: [String: JSONValue])
}

/// The kinds of a `ModuleError`: the raw value is the wire code.
package protocol ModuleErrorKind: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String {
    /// The HTTP status a problem of this kind is sent with.
    var status: Int { get }
    /// Every module refuses malformed input the same way: 422 `validation_failed`.
    static var invalidInput: Self { get }
}

extension ModuleError {
    /// The stable wire code, e.g. `card_declined`.
    public var code: String { kind.rawValue }

    public var extensions: [String: JSONValue] { [:] }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.kind == rhs.kind }

    public var problem: Problem {
        Problem(status: kind.status, code: kind.rawValue, detail: detail, extensions: extensions)
    }

    /// The error a remote module sent back, or nil when the code is not one of this module's.
    public init?(problem: Problem) {
        guard let kind = Kind(rawValue: problem.code) else { return nil }
        self.init(kind, detail: problem.detail, extensions: problem.extensions)
    }

    /// Input the module refuses: `detail` is `"<field>: <reason>"`, so a
    /// client learns which field to fix.
    public static func invalidInput(field: String, reason: String) -> Self {
        Self(.invalidInput, detail: "\(field): \(reason)", extensions: [:])
    }
}
