import Foundation
import HTTPServer
import Platform
import Security

/// A request on its way through the gateway, with what the edge has proven
/// about it so far (tenant, caller) and the route's path parameters.
struct RequestContext {
    let request: HTTPRequest
    let requestID: String
    var parameters: [String: String] = [:]
    /// Set once `x-tenant-id` has been validated.
    var tenant: TenantID?
    /// Set once the bearer token has been verified for `tenant`.
    var claims: JWTClaims?
    /// When the gateway stops working on this request; every module call made for it inherits it.
    var deadline: Date?
    /// The request's W3C trace (accepted or started at the edge), passed on with every module call.
    var traceparent: String?

    /// The facade call context for an authenticated caller.
    var callContext: CallContext {
        guard let tenant else { preconditionFailure("route without tenant access asked for a call context") }
        return CallContext(
            tenant: tenant, userID: claims?.subject, role: claims.flatMap { Role(rawValue: $0.role) },
            requestID: requestID, idempotencyKey: request.headers["idempotency-key"], traceparent: traceparent,
            deadline: deadline)
    }

    func parameter(_ name: String) -> String {
        guard let value = parameters[name] else { preconditionFailure("route has no parameter \(name)") }
        return value
    }

    /// Decodes the JSON body into `T`, answering malformed input with a precise problem.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let contentType = request.headers["content-type"],
            !contentType.lowercased().hasPrefix("application/json")
        {
            throw Problem(status: 415, code: "unsupported_media_type", detail: "Send the body as application/json.")
        }
        guard !request.body.isEmpty else {
            throw Problem.badRequest("malformed_json", "The request needs a JSON object body.")
        }
        return try WireJSON.decodeBody(T.self, from: request.body)
    }
}
