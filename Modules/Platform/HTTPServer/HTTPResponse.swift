import Platform

/// A response a handler returns. The server adds `content-length`, `date`
/// is omitted on purpose (clients here do not need it and it costs a syscall),
/// and `connection: close` when the connection is closing.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json(_ status: Int = 200, _ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("content-type", "application/json")]), body: body)
    }

    public static func problem(_ problem: Problem) -> HTTPResponse {
        HTTPResponse(
            status: problem.status,
            headers: HTTPHeaders([("content-type", Problem.contentType)]),
            body: problem.json)
    }
}
