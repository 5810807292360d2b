import Foundation
import HTTPServer
import Platform

/// The facade's wire format, in one place for both ends: `WireJSON` bodies,
/// the headers that carry the `CallContext`, and problem bodies read back
/// into `Problem`s.
enum FacadeWire {
    static let operationsPrefix = "/operations/"

    enum Header {
        static let authorization = "authorization"
        static let tenant = "x-tenant-id"
        static let user = "x-user-id"
        static let role = "x-role"
        /// The request pipeline's own header: a service keeps the caller's id by its rule.
        static let requestID = RequestID.header
        static let traceparent = "traceparent"
        static let idempotencyKey = "idempotency-key"
        /// Unix milliseconds.
        static let deadline = "x-deadline"
    }

    /// `sub` of a service token for a call made on nobody's behalf.
    static let systemSubject = "system"
    /// `role` of a service token for a call without a role: the claim must not be empty.
    static let noRole = "none"

    static func deadlineHeader(_ deadline: Date) -> String {
        String(Int64((deadline.timeIntervalSince1970 * 1000).rounded()))
    }

    static func deadline(header: String) -> Date? {
        guard let milliseconds = Int64(header), milliseconds >= 0 else { return nil }
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// The problem in a non-2xx reply, or nil when the body is not one
    /// (an HTML error page from a proxy, an empty body). The HTTP status wins
    /// over the body's: it is what every hop acted on.
    static func problem(status: Int, body: [UInt8]) -> Problem? {
        guard status >= 400, status <= 599,
            case .object(var members)? = try? WireJSON.decode(JSONValue.self, from: body),
            case .string(let code)? = members["code"], !code.isEmpty
        else { return nil }
        var detail = ""
        if case .string(let text)? = members["detail"] { detail = text }
        var title: String?
        if case .string(let text)? = members["title"] { title = text }
        for member in ["type", "title", "status", "detail", "code"] { members[member] = nil }
        return Problem(status: status, code: code, title: title, detail: detail, extensions: members)
    }
}
