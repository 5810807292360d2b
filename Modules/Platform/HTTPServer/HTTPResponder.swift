/// What the server calls for each complete request.
///
/// `respond(to:)` runs on the server's bounded worker pool, so it may block
/// (database, outbound HTTP) without stalling I/O. A responder may answer
/// `runsOnIOThread` for requests it can serve in a few microseconds with no
/// blocking call at all (a health probe, a JWT check): those skip the
/// hand-off to the pool, which would cost more than the work itself.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) -> HTTPResponse
    func runsOnIOThread(_ request: HTTPRequest) -> Bool
}

extension HTTPResponder {
    public func runsOnIOThread(_ request: HTTPRequest) -> Bool { false }
}
