import Foundation
import HTTPServer
import Platform
import Security

/// A responder (the gateway's pipeline in front of some routes) driven in
/// process without a socket, the way a signed-in client would call it.
///
/// Every request signs a fresh token for the role and tenant it names, so
/// one harness can act as any staff member of any restaurant. The responder
/// is made by the caller around the harness's signer, so it accepts exactly
/// the tokens the harness signs; building it is the test target's part,
/// since the pipeline lives in Gateway and this target knows no module.
package struct RouteHarness {
    /// What the responder answered.
    package struct Reply {
        package let status: Int
        /// The body as sent.
        package let body: [UInt8]

        /// The body as the API's own type, read in the wire dialect.
        package func decoded<Value: Decodable>(_ type: Value.Type) throws -> Value {
            try WireJSON.decode(type, from: body)
        }

        /// The body as a raw JSON object, for checks on the wire shape itself
        /// (exact keys, a field's absence); empty when it is not one.
        package var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        }
        /// A problem's `code`; nil when the body has none.
        package var code: String? { json["code"] as? String }
        /// A problem's `detail`; nil when the body has none.
        package var detail: String? { json["detail"] as? String }
    }

    private let signer: JWTSigner
    private let responder: any HTTPResponder
    private let tenant: String
    private let role: Role

    /// `tenant` and `role` are who a request comes from unless it says
    /// otherwise; `responder` is given the signer whose tokens it must accept.
    package init(
        tenant: String, role: Role = .manager, responder: (_ signer: JWTSigner) -> any HTTPResponder
    ) {
        let signer = JWTSigner(secret: SecureRandom.bytes(32))
        self.signer = signer
        self.responder = responder(signer)
        self.tenant = tenant
        self.role = role
    }

    /// Sends `method target` (a query after `?` is split off as a socket
    /// would). `json` is sent as the body, or `body` as raw bytes; either
    /// one, even empty, comes as `application/json`. `token: false` leaves
    /// the bearer token out.
    package func send(
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
        return Reply(status: response.status, body: response.body)
    }
}
