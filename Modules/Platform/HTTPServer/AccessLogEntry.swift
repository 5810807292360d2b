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
    /// The route template that matched (`/api/v1/orders/{id}`), for the
    /// request metrics; nil when none did.
    public var route: String?
    /// The request's trace: the caller's valid `traceparent`, or one the
    /// gateway started; its trace id is logged as `trace_id`.
    public var trace: TraceParent?

    init(requestID: String, trace: TraceParent?) {
        self.requestID = requestID
        self.trace = trace
    }
}
