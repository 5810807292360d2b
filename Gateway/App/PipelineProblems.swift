import Facade
import Platform

/// The problems the gateway's pipeline answers on a route's behalf, around
/// its handler: the HTTP server's own (a request it cannot read), the walls
/// of its access level (`EdgeAuthentication`), body decoding
/// (`RequestContext.decode`), query parsing (`QueryParameter`), and the
/// catch-alls of `GatewayResponder`. Listed here so every route's
/// documentation names them; `OpenAPIDocumentTests` sends each kind of bad
/// request and checks the answer is one the document lists.
enum PipelineProblems {
    static func walls(_ access: Route.Access) -> [Problem] {
        switch access {
        case .anyone: []
        case .tenant: tenant
        case .user:
            tenant + [
                .unauthorized("missing_token", "No bearer token."),
                .unauthorized("invalid_token", "The token is not valid."),
                .unauthorized("token_expired", "The token has expired."),
                .unauthorized("token_revoked", "The user's access changed since the token was issued."),
                .forbidden("tenant_mismatch", "The token belongs to another tenant."),
                // Not a wall but as sure: every module checks the caller's role (`CallContext.require`).
                AccessDenied(needed: .cashier).problem,
            ]
        case .operator:
            [
                .unauthorized("missing_token", "No ops token."),
                .unauthorized("invalid_token", "The ops token is not valid."),
            ]
        }
    }

    private static let tenant: [Problem] = [
        .badRequest("missing_tenant", "No x-tenant-id header."),
        .badRequest("invalid_tenant", "x-tenant-id is not a tenant id."),
    ]

    /// The HTTP server's, before any route is found: a path that is not
    /// valid percent-encoded UTF-8, a full request queue.
    static let server: [Problem] = [
        .badRequest("malformed_request", "The request cannot be read."),
        .unavailable("server_busy", "Too many requests are waiting."),
    ]

    static let body: [Problem] = [
        Problem(status: 413, code: "body_too_large", detail: "The body is larger than the server accepts."),
        .badRequest("malformed_json", "The body is not a JSON object."),
        Problem(status: 415, code: "unsupported_media_type", detail: "The body is not application/json."),
        .unprocessable("validation_failed", "A field is missing, of the wrong type or not valid."),
    ]

    static let invalidQuery = Problem.badRequest("invalid_query", "A query parameter is not acceptable.")

    /// What a call to an extracted module can end in besides its own errors:
    /// its service down or too busy (`RoutedTransport`), the request's deadline passed.
    static func routedCall(to module: String) -> [any ProblemConvertible] {
        [ModuleUnavailable(module: module, reason: ""), ModuleBusy(module: module), DeadlineExceeded()]
    }

    static let databaseUnavailable = Problem.unavailable("database_unavailable", "The database is not answering.")
    static let internalError = Problem.internalError()
}
