/// One operation of a module's facade, declared once in its API target.
///
/// The name is the operation's identity on both paths: the local transport
/// finds its handler by it (through a small integer assigned once per name,
/// so a call never hashes a string), and the HTTP transport sends it as
/// `POST /operations/{name}`.
///
///     public enum PaymentsOperations {
///         public static let charge = Operation<ChargeRequest, Payment>("payments.charge")
///         public static let lookup = Operation<PaymentLookup, Payment>("payments.payment", readOnly: true)
///     }
public struct Operation<Request: Codable & Sendable, Response: Codable & Sendable>: Sendable {
    /// `module.verb`, e.g. `payments.charge`: ASCII letters, digits, `_`, `-`
    /// and `.`, with the module before the first dot.
    public let name: String
    /// True when the operation changes nothing (a lookup, a list).
    public let isReadOnly: Bool
    /// Dense per-process number of `name`: the handler's slot in an `OperationTable`.
    package let index: Int

    public init(_ name: String, readOnly: Bool = false) {
        precondition(Operation.isValidName(name), "operation name \(name) must be module.verb in [A-Za-z0-9_.-]")
        self.name = name
        self.isReadOnly = readOnly
        self.index = OperationIndex.shared.index(for: name)
    }

    /// The module that serves it: the name up to the first dot.
    public var module: String { Operation.module(of: name) }

    static func module(of name: String) -> String {
        String(name.prefix { $0 != "." })
    }

    /// The name goes into a URL path and a log field unescaped.
    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let dot = bytes.firstIndex(of: 0x2E), dot > 0, dot < bytes.count - 1 else { return false }
        return bytes.allSatisfy { byte in
            ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x2D
                || byte == 0x2E
        }
    }
}
