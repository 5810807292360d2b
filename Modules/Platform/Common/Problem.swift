/// An error that knows how to become an `application/problem+json` reply (RFC 9457).
///
/// Every failure that reaches a client is a `Problem`: a status, a stable
/// machine-readable `code` that clients may switch on, a `title` and a
/// human `detail`. Modules throw their own typed errors; the edge maps them
/// to a `Problem` once. Equality is by status and code, so a detail can be
/// reworded without breaking anyone.
public struct Problem: Error, Sendable, CustomStringConvertible {
    public let status: Int
    public let code: String
    public let title: String
    public let detail: String
    /// Extension members (RFC 9457 §3.2), e.g. the `order_id` of a declined
    /// checkout or the `items` that were out of stock.
    public let extensions: [String: JSONValue]

    public init(
        status: Int, code: String, title: String? = nil, detail: String, extensions: [String: JSONValue] = [:]
    ) {
        self.status = status
        self.code = code
        self.title = title ?? Problem.reasonPhrase(status)
        self.detail = detail
        self.extensions = extensions
    }

    /// Deliberately generic: details may carry input and stay out of logs.
    public var description: String { "Problem(\(status) \(code))" }

    /// The problem type URI: stable per code, never dereferenced.
    public var type: String { "urn:banyan:problem:\(code)" }

    /// The RFC 9457 body.
    public var json: [UInt8] {
        var out = "{\"type\":"
        JSONText.appendString(type, to: &out)
        out += ",\"title\":"
        JSONText.appendString(title, to: &out)
        out += ",\"status\":\(status),\"detail\":"
        JSONText.appendString(detail, to: &out)
        out += ",\"code\":"
        JSONText.appendString(code, to: &out)
        for key in extensions.keys.sorted() where !Problem.standardMembers.contains(key) {
            out += ","
            JSONText.appendString(key, to: &out)
            out += ":"
            extensions[key]!.write(to: &out)
        }
        out += "}"
        return Array(out.utf8)
    }

    public static let contentType = "application/problem+json"
    static let standardMembers: Set<String> = ["type", "title", "status", "detail", "code"]

    public static func badRequest(_ code: String, _ detail: String) -> Problem {
        Problem(status: 400, code: code, detail: detail)
    }
    public static func unauthorized(_ code: String, _ detail: String) -> Problem {
        Problem(status: 401, code: code, detail: detail)
    }
    public static func forbidden(_ code: String, _ detail: String) -> Problem {
        Problem(status: 403, code: code, detail: detail)
    }
    public static func notFound(_ code: String, _ detail: String) -> Problem {
        Problem(status: 404, code: code, detail: detail)
    }
    public static func conflict(_ code: String, _ detail: String) -> Problem {
        Problem(status: 409, code: code, detail: detail)
    }
    public static func unprocessable(_ code: String, _ detail: String) -> Problem {
        Problem(status: 422, code: code, detail: detail)
    }
    public static func unavailable(_ code: String, _ detail: String) -> Problem {
        Problem(status: 503, code: code, detail: detail)
    }
    public static func internalError(_ detail: String = "An unexpected error occurred.") -> Problem {
        Problem(status: 500, code: "internal_error", detail: detail)
    }

    /// Reason phrases for the statuses Banyan sends.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 402: "Payment Required"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }
}

extension Problem: Equatable {
    public static func == (lhs: Problem, rhs: Problem) -> Bool {
        lhs.status == rhs.status && lhs.code == rhs.code
    }
}
