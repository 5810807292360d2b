import Platform

/// The problems the server answers by itself, before or instead of a handler.
/// Codes are stable: clients and tests switch on them.
enum ProtocolProblem {
    static func malformed(_ detail: String) -> Problem {
        Problem(status: 400, code: "malformed_request", detail: detail)
    }

    static let headerTooLarge = Problem(
        status: 431, code: "header_too_large",
        detail: "The request line and header fields are larger than this server accepts.")

    static let tooManyHeaders = Problem(
        status: 431, code: "too_many_headers", detail: "The request has more header fields than this server accepts.")

    static let bodyTooLarge = Problem(
        status: 413, code: "body_too_large", detail: "The request body is larger than this server accepts.")

    static let requestTimeout = Problem(
        status: 408, code: "request_timeout", detail: "The request did not arrive in time.")

    static let tooManyConnections = Problem(
        status: 503, code: "server_busy", detail: "The server has too many open connections; retry shortly.")

    static let queueFull = Problem(
        status: 503, code: "server_busy", detail: "The server has too many requests waiting; retry shortly.")

    static let shuttingDown = Problem(
        status: 503, code: "shutting_down", detail: "This instance is shutting down; send requests to another.")

    static let versionNotSupported = Problem(
        status: 505, code: "http_version_not_supported", detail: "Only HTTP/1.0 and HTTP/1.1 are supported.")
}
