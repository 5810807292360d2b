/// What the access-log line of one request says beyond the request itself:
/// its id, and what the responder learns on the way (whose request it was,
/// which operation it ran). Handed to the responder by `RequestPipeline`.
public struct AccessLogEntry: Sendable {
    public let requestID: String
    /// The tenant once the responder has validated it; until then the log
    /// shows the raw `x-tenant-id`, shortened.
    public var tenant: String?
    /// The facade operation a service ran, e.g. `payments.charge`; none at the gateway.
    public var operation: String?

    init(requestID: String) {
        self.requestID = requestID
    }
}
