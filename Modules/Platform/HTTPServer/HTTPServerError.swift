/// Why an `HTTPServer` could not start.
///
/// Compare with the static members (`error == .addressInUse`); equality is by
/// kind only, so the wording of `detail` may change.
public struct HTTPServerError: Error, Equatable, CustomStringConvertible {
    private enum Code: Equatable {
        case addressInUse
        case invalidAddress
        case permissionDenied
        case alreadyStarted
        case systemCall
    }

    private let code: Code
    /// What failed, for operators: the address, the system call.
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// Another socket is bound to the configured host and port.
    public static let addressInUse = HTTPServerError(.addressInUse, "address already in use")
    /// `host` is not a numeric IPv4/IPv6 address or `localhost`, or the port is out of range.
    public static let invalidAddress = HTTPServerError(.invalidAddress, "invalid address")
    /// The port needs privileges this process does not have.
    public static let permissionDenied = HTTPServerError(.permissionDenied, "permission denied")
    /// `start()` was already called on this server.
    public static let alreadyStarted = HTTPServerError(.alreadyStarted, "already started")
    /// The kernel refused something else (descriptors exhausted, …).
    public static let systemCall = HTTPServerError(.systemCall, "system call failed")

    static func addressInUse(host: String, port: Int) -> HTTPServerError {
        HTTPServerError(.addressInUse, "\(host):\(port) is already in use by another socket")
    }

    static func invalidAddress(host: String, port: Int) -> HTTPServerError {
        HTTPServerError(.invalidAddress, "cannot bind \(host):\(port): host must be a numeric IP address or localhost")
    }

    static func permissionDenied(host: String, port: Int) -> HTTPServerError {
        HTTPServerError(.permissionDenied, "not permitted to bind \(host):\(port)")
    }

    static func systemCall(_ error: SystemCallError) -> HTTPServerError {
        HTTPServerError(.systemCall, error.description)
    }

    public var description: String { "HTTPServerError: \(detail)" }

    public static func == (lhs: HTTPServerError, rhs: HTTPServerError) -> Bool {
        lhs.code == rhs.code
    }
}
