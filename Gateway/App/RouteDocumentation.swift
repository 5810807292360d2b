import Platform

/// What a route tells the API documentation about itself, read once when
/// `/openapi.json` and `/docs` are built: never on a request's path.
struct RouteDocumentation: Sendable {
    /// One line: what the endpoint is for.
    var summary: String
    /// The group it is listed under (`orders`, `auth`, …).
    var tag: String
    var requestBody: RequestBody?
    var query: [QueryParameterDocumentation] = []
    var headers: [HeaderDocumentation] = []
    /// The successful answers.
    var responses: [ResponseDocumentation]
    /// Every problem the route can answer: its own, its group's, and the
    /// pipeline's (`PipelineProblems`).
    var problems: [Problem]

    struct RequestBody: Sendable {
        let schema: WireSchema
        /// False when an empty body is accepted (a refund's reason).
        let required: Bool
    }
}

/// A request header a route reads, besides the walls' `x-tenant-id` and `Authorization`.
struct HeaderDocumentation: Sendable {
    let name: String
    let required: Bool
    let description: String

    /// `Idempotency-Key`: a retry with the same key returns the first result.
    static func idempotencyKey(required: Bool) -> HeaderDocumentation {
        HeaderDocumentation(
            name: "Idempotency-Key", required: required,
            description: "A retry with the same key returns the first result and never does the work twice.")
    }
}

/// One successful answer a route can give.
struct ResponseDocumentation: Sendable {
    let status: Int
    let description: String
    /// Content type and schema of the body; nil for none (204).
    let body: (contentType: String, schema: WireSchema)?
    /// Response headers: name → what it says.
    var headers: [(name: String, description: String)] = []

    /// A JSON body of type `T`.
    static func json<T: Decodable & Sendable>(
        _ status: Int, _ type: T.Type, _ description: String? = nil, headers: [(name: String, description: String)] = []
    ) -> ResponseDocumentation {
        ResponseDocumentation(
            status: status, description: description ?? Problem.reasonPhrase(status),
            body: ("application/json", WireSchema(type)), headers: headers)
    }
}

/// A wire type whose JSON Schema is derived when the document is built.
struct WireSchema: Sendable {
    let derive: @Sendable (SchemaCatalog) throws -> JSONSchema

    init<T: Decodable & Sendable>(_ type: T.Type) {
        derive = { catalog in try catalog.schema(for: T.self) }
    }

    /// A schema written out, for bodies that are not JSON (the HTML page).
    init(_ schema: JSONSchema) {
        derive = { _ in schema }
    }
}
