/// The body of every `application/problem+json` answer: RFC 9457's members
/// and Banyan's stable `code`, plus whatever extensions a problem carries
/// (`order_id`, `retry_after`, …). `Problem.json` writes it; this type is
/// how the API documentation gets its schema (a test decodes a real
/// problem with it, so the two cannot part).
struct ProblemDetails: Codable {
    /// `urn:banyan:problem:<code>`.
    var type: String
    var title: String
    var status: Int
    var detail: String
    /// What clients switch on; stable across releases.
    var code: String
}
