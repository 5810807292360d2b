import Foundation
import HTTPServer
import Platform
import Security

@testable import Gateway

/// A module's routes behind the gateway's own pipeline (tenant and token
/// walls, routing, problem mapping), driven in process without a socket:
/// the composition root is not ours.
///
/// Every request signs a fresh token for the role and tenant it names, so
/// one harness can act as any staff member of any restaurant.
struct RouteHarness {
    /// What the pipeline answered, with the body decoded as JSON.
    struct Reply {
        let status: Int
        /// The decoded body; nil when it is empty or not JSON.
        let body: Any?

        /// The body as a JSON object; empty when it is not one.
        var json: [String: Any] { body as? [String: Any] ?? [:] }
        /// A problem's `code`; nil when the body has none.
        var code: String? { json["code"] as? String }
    }

    private let signer: JWTSigner
    private let responder: GatewayResponder
    private let tenant: String
    private let role: Role

    /// `tenant` and `role` are who a request comes from unless it says otherwise.
    init(_ routes: [Route], tenant: String, role: Role = .manager) {
        let signer = JWTSigner(secret: SecureRandom.bytes(32))
        self.signer = signer
        responder = GatewayResponder(
            router: Router(routes),
            authentication: EdgeAuthentication(signer: signer, opsToken: SecureRandom.bytes(16)), log: .discard)
        self.tenant = tenant
        self.role = role
    }

    /// Sends `method target` (a query after `?` is split off as a socket
    /// would). `json` is sent as the body, or `body` as raw bytes; either
    /// one, even empty, comes as `application/json`. `token: false` leaves
    /// the bearer token out.
    func send(
        _ method: String, _ target: String, role: Role? = nil, tenant: String? = nil, json: String? = nil,
        body: [UInt8]? = nil, headers extra: [(String, String)] = [], token: Bool = true
    ) -> Reply {
        let tenant = tenant ?? self.tenant
        var headers = HTTPHeaders([("x-tenant-id", tenant)])
        if token {
            let now = Int(Date().timeIntervalSince1970)
            let jwt = signer.sign(
                JWTClaims(
                    subject: "u1", tenant: tenant, role: (role ?? self.role).rawValue, username: "sam",
                    issuedAt: now, expiresAt: now + 600))
            headers.add("authorization", "Bearer " + jwt)
        }
        let body = body ?? json.map { Array($0.utf8) }
        if body != nil { headers.add("content-type", "application/json") }
        for (name, value) in extra { headers.add(name, value) }
        let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
        let response = responder.respond(
            to: HTTPRequest(
                method: method, target: target, path: parts[0], query: parts.count > 1 ? parts[1] : "",
                headers: headers, body: body ?? []))
        return Reply(status: response.status, body: try? JSONSerialization.jsonObject(with: Data(response.body)))
    }
}
