/// Why `HTTPClient.send` got no response. Compare with the static members
/// (`error == .timedOut`); equality is by kind, never by `detail`.
///
/// `description` is deliberately generic, so logging an error never leaks a
/// URL's query or a header; `detail` (libcurl's message) is for debugging.
public struct HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private enum Code: String, Sendable {
        case connectFailed
        case connectTimedOut
        case timedOut
        case invalidURL
        case invalidRequest
        case responseTooLarge
        case transport
    }

    private let code: Code
    /// libcurl's explanation, or ours.
    public let detail: String

    private init(_ code: Code, detail: String = "") {
        self.code = code
        self.detail = detail
    }

    /// Nothing listens there, the host did not resolve, or the route is gone:
    /// the request was never sent, so retrying elsewhere is safe.
    public static let connectFailed = HTTPClientError(.connectFailed)
    /// The connect timeout passed before a connection was made (the request was never sent).
    public static let connectTimedOut = HTTPClientError(.connectTimedOut)
    /// The total timeout passed after the request was (perhaps) sent.
    public static let timedOut = HTTPClientError(.timedOut)
    /// Not a URL libcurl accepts, or a scheme other than http and https.
    public static let invalidURL = HTTPClientError(.invalidURL)
    /// A method or header that cannot be sent as given (CR, LF or NUL in it).
    public static let invalidRequest = HTTPClientError(.invalidRequest)
    /// The response was larger than `maxResponseBytes`.
    public static let responseTooLarge = HTTPClientError(.responseTooLarge)
    /// Anything else on the wire: reset, closed early, unreadable reply, TLS.
    public static let transport = HTTPClientError(.transport)

    func with(detail: String) -> HTTPClientError {
        HTTPClientError(code, detail: detail)
    }

    /// The request never reached the server (refused, unresolvable, connect timeout).
    public var isConnectFailure: Bool { code == .connectFailed || code == .connectTimedOut }
    /// A timeout, during connect or after.
    public var isTimeout: Bool { code == .timedOut || code == .connectTimedOut }

    public var description: String { "HTTPClientError.\(code.rawValue)" }
    public var debugDescription: String { detail.isEmpty ? description : "\(description): \(detail)" }

    public static func == (lhs: HTTPClientError, rhs: HTTPClientError) -> Bool {
        lhs.code == rhs.code
    }
}
