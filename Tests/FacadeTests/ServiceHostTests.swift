// ServiceHost over a real socket, driven with raw requests: the walls
// (service token, tenant, audience), the probes, and the error mapping.
import Facade
import Foundation
import HTTPClient
import Platform
import Security
import Testing

@Suite("ServiceHost")
final class ServiceHostTests {
    /// Each test's own host on its own port: Swift Testing makes a suite instance per test.
    let service: EchoService

    init() throws { service = try EchoService() }
    deinit { service.shutdown() }

    private func problem(_ response: HTTPClientResponse) throws -> [String: JSONValue] {
        #expect(response.header("content-type") == Problem.contentType)
        guard case .object(let members) = try JSONDecoder().decode(JSONValue.self, from: Data(response.body)) else {
            Issue.record("not a JSON object: \(String(decoding: response.body, as: UTF8.self))")
            return [:]
        }
        return members
    }

    private func code(_ response: HTTPClientResponse) throws -> String? {
        if case .string(let code)? = try problem(response)["code"] { return code }
        return nil
    }

    @Test func missingTokenIs401() throws {
        let response = try service.post("echo.say", #"{"text":"a"}"#) { headers in
            headers.removeAll { $0.name == "authorization" }
        }
        #expect(response.status == 401)
        #expect(try code(response) == "missing_token")
    }

    @Test func tokenForAnotherTenantIs403() throws {
        var other = Fixtures.context()
        other.tenant = TenantID("other-cafe")!
        let body = #"{"text":"a"}"#
        let response = try service.post("echo.say", body, token: EchoService.token("echo.say", body, context: other))
        #expect(response.status == 403)
        #expect(try code(response) == "tenant_mismatch")
    }

    @Test func tokenForAnotherModuleIs401() throws {
        let body = #"{"text":"a"}"#
        let response = try service.post("echo.say", body, token: EchoService.token("echo.say", body, module: "payments"))
        #expect(response.status == 401)
        #expect(try code(response) == "invalid_token")
    }

    @Test func tokenForAnotherOperationIs401() throws {
        // Same module, same body, same tenant: only the operation differs.
        let body = #"{"code":"too_loud"}"#
        let response = try service.post("echo.fail", body, token: EchoService.token("echo.say", body))
        #expect(response.status == 401)
        #expect(try code(response) == "token_wrong_operation")
    }

    @Test func tokenForAnotherBodyIs401() throws {
        let signed = #"{"text":"a"}"#
        let response = try service.post("echo.say", #"{"text":"b"}"#, token: EchoService.token("echo.say", signed))
        #expect(response.status == 401)
        #expect(try code(response) == "token_body_mismatch")
        // The body is compared byte for byte: the same JSON spelled differently is another body.
        let respaced = try service.post("echo.say", #"{"text": "a"}"#, token: EchoService.token("echo.say", signed))
        #expect(respaced.status == 401)
        #expect(try code(respaced) == "token_body_mismatch")
        #expect(try service.post("echo.say", signed, token: EchoService.token("echo.say", signed)).status == 200)
    }

    @Test func tokenOlderThanTenSecondsIs401() throws {
        let body = #"{"text":"a"}"#
        let issued = Int(Date().timeIntervalSince1970) - ServiceTokenVerifier.maximumLifetime - 2
        let response = try service.post("echo.say", body, token: EchoService.token("echo.say", body, now: issued))
        #expect(response.status == 401)
        #expect(try code(response) == "token_expired")
    }

    @Test(arguments: [
        "not-a-token",
        // A user token (no audience) signed with the right secret. Arguments
        // are made when the tests are listed, maybe minutes before this one
        // runs: an hour keeps it from being merely expired.
        JWTSigner(secret: EchoService.secret).sign(
            JWTClaims(subject: "user-7", tenant: "demo-bistro", role: "manager", username: "u", issuedAt: 0,
                      expiresAt: Int(Date().timeIntervalSince1970) + 3600)),
        // A service token signed with another secret.
        ServiceTokenIssuer(secret: Array("another-secret-another-secret-another".utf8))
            .token(module: "echo", operation: "echo.say", body: Array(#"{"text":"a"}"#.utf8), context: Fixtures.context()),
        // Genuine, but of the old unbound kind: no operation, no body hash.
        // (Issued an hour ahead, so however late the test runs it is not merely expired.)
        JWTSigner(secret: EchoService.secret).sign(
            JWTClaims(subject: "user-7", tenant: "demo-bistro", role: "manager", username: "",
                      issuedAt: Int(Date().timeIntervalSince1970) + 3600, expiresAt: Int(Date().timeIntervalSince1970) + 3605,
                      audience: "echo")),
        // Genuine and bound, but living a minute: longer than any service token may.
        JWTSigner(secret: EchoService.secret).sign(
            JWTClaims(subject: "user-7", tenant: "demo-bistro", role: "manager", username: "",
                      issuedAt: Int(Date().timeIntervalSince1970) + 3600, expiresAt: Int(Date().timeIntervalSince1970) + 3660,
                      audience: "echo", operation: "echo.say",
                      bodySHA256: Base64URL.encode(Digest.sha256(Array(#"{"text":"a"}"#.utf8))))),
    ])
    func invalidTokenIs401(token: String) throws {
        let response = try service.post("echo.say", #"{"text":"a"}"#, token: token)
        #expect(response.status == 401)
        #expect(try code(response) == "invalid_token")
    }

    @Test func roleHeaderCannotRaiseTheTokensRole() throws {
        let body = #"{"code":"access"}"#
        let token = EchoService.token("echo.fail", body, context: Fixtures.context(role: .cashier))
        let response = try service.post("echo.fail", body, context: Fixtures.context(role: .admin), token: token)
        #expect(response.status == 403)
        #expect(try code(response) == "context_mismatch")
    }

    @Test(arguments: EchoError.all)
    func errorsNeverComeWithA2xx(error: EchoError) throws {
        let response = try service.post("echo.fail", #"{"code":"\#(error.kind.rawValue)"}"#)
        #expect(response.status == error.problem.status)
        #expect(try code(response) == error.kind.rawValue)
    }

    @Test func problemExtensionsTravel() throws {
        let response = try service.post("echo.fail", #"{"code":"too_loud"}"#)
        #expect(try problem(response)["limit"] == .int(20))
    }

    @Test func passedDeadlineIs504() throws {
        let context = Fixtures.context(deadline: Date().addingTimeInterval(-0.5))
        let response = try service.post("echo.say", #"{"text":"a"}"#, context: context)
        #expect(response.status == 504)
        #expect(try code(response) == "deadline_exceeded")
    }

    /// The gateway's answer to the same body: one mapping serves both doors.
    @Test(arguments: [#"{"text": "a""#, "text", "{} x"])
    func bodyThatIsNotJSONIs400(body: String) throws {
        let response = try service.post("echo.say", body)
        #expect(response.status == 400)
        let members = try problem(response)
        #expect(members["code"] == .string("malformed_json"))
        #expect(members["detail"] == .string("The request body is not valid JSON."))
    }

    @Test(arguments: [
        (#"{"times": 2}"#, "text: is required"),
        (#"{"text": 5}"#, "text: has the wrong type"),
        (#"{"text": "a", "times": "two"}"#, "times: has the wrong type"),
        ("[]", "body: has the wrong type"),
    ])
    func bodyOfTheWrongShapeIs422NamingTheField(body: String, detail: String) throws {
        let response = try service.post("echo.say", body)
        #expect(response.status == 422)
        let members = try problem(response)
        #expect(members["code"] == .string("validation_failed"))
        #expect(members["detail"] == .string(detail))
    }

    @Test func unexpectedErrorIsAGeneric500() throws {
        let response = try service.post("echo.fail", #"{"code":"crash"}"#)
        #expect(response.status == 500)
        let members = try problem(response)
        #expect(members["code"] == .string("internal_error"))
        #expect(members["detail"] == .string("An unexpected error occurred."))
    }

    @Test func successIs200WithTheResponseAndTheRequestID() throws {
        let context = Fixtures.context()
        let response = try service.post("echo.say", #"{"text":"a"}"#, context: context)
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json")
        #expect(response.header("x-request-id") == context.requestID)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(SayReply.self, from: Data(response.body)) == SayReply(text: "a", at: EchoModule.sampleTime))
    }

    @Test func healthAndReadiness() throws {
        #expect(try service.send("GET", "/health").status == 200)
        #expect(try service.send("GET", "/ready").status == 200)
        service.readiness.isReady.store(false, ordering: .relaxed)
        let notReady = try service.send("GET", "/ready")
        #expect(notReady.status == 503)
        #expect(try code(notReady) == "not_ready")
        #expect(try service.send("GET", "/health").status == 200)
        service.readiness.isReady.store(true, ordering: .relaxed)
        #expect(try service.send("GET", "/ready").status == 200)
    }

    @Test func withAValidTokenOtherPathsAre404AndWrongMethods405() throws {
        // Any genuine, current token of this module opens the gate; the 404 or 405 then says what is wrong.
        let headers = EchoService.headers(Fixtures.context(), token: EchoService.token("echo.say", "{}"))
        let missing = try service.send("GET", "/operations", headers: headers)
        #expect(missing.status == 404)
        #expect(try code(missing) == "not_found")
        #expect(try service.send("GET", "/", headers: headers).status == 404)
        #expect(try service.send("DELETE", "/admin", headers: headers).status == 404)
        #expect(try service.send("GET", "/operations/echo.say", headers: headers).status == 405)
        #expect(try service.send("POST", "/health").status == 405)
        let unknown = try service.post("echo.nothing", "{}")
        #expect(unknown.status == 404)
        #expect(try code(unknown) == "unknown_operation")
    }

    @Test(arguments: [
        ("GET", "/"), ("GET", "/operations"), ("GET", "/operations/echo.say"), ("POST", "/operations/echo.nothing"),
        ("POST", "/operations/echo.say"), ("PUT", "/admin"), ("GET", "/metrics/extra"), ("GET", "/health/../secrets"),
    ])
    func withoutATokenEveryPathButTheProbesIs401(method: String, path: String) throws {
        let response = try service.send(method, path, body: method == "GET" ? nil : Fixtures.json("{}"))
        #expect(response.status == 401)
        #expect(try code(response) == "missing_token")
        let forged = try service.send(
            method, path, headers: [("authorization", "Bearer not-a-token")],
            body: method == "GET" ? nil : Fixtures.json("{}"))
        #expect(forged.status == 401)
        #expect(try code(forged) == "invalid_token")
    }

    @Test func theProbesAnswerAnyone() throws {
        for path in ["/health", "/ready", "/contract"] {
            #expect(try service.send("GET", path).status == 200, "\(path)")
        }
    }

    @Test func invalidTenantOrRoleHeaderIs400() throws {
        let response = try service.post("echo.say", #"{"text":"a"}"#) { headers in
            headers.removeAll { $0.name == "x-role" }
            headers.append(("x-role", "owner"))
        }
        #expect(response.status == 400)
    }

    @Test func contractDescribesTheTable() throws {
        let response = try service.send("GET", "/contract")
        #expect(response.status == 200)
        let contract = try JSONDecoder().decode(ContractDescription.self, from: Data(response.body))
        #expect(contract == service.table.contract)
        #expect(contract.module == "echo")
        #expect(contract.operations.map(\.name) == [
            "echo.add", "echo.context", "echo.fail", "echo.find", "echo.list", "echo.say", "echo.slow",
        ])
        let say = try #require(contract.operations.first { $0.name == "echo.say" })
        #expect(say.requestShape == #"{"text":"string","times":"integer"}"#)
        #expect(say.responseShape == #"{"at":"string","text":"string"}"#)
        #expect(!say.readOnly)
        #expect(contract.operations.first { $0.name == "echo.list" }?.responseShape == #"[{"count":"integer","key":"string"}]"#)
        #expect(contract.operations.first { $0.name == "echo.find" }?.readOnly == true)
        #expect(contract.fingerprint.count == 64)
        let raw = String(decoding: response.body, as: UTF8.self)
        #expect(raw.contains(#""read_only":"#) && raw.contains(#""request_shape":"#))
    }
}
