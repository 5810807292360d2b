import AuthAPI
import Foundation
import Security
import Testing

/// The gateway's walls, attacked from outside.
@Suite struct EdgeSecurityTests {
    let app: TestGateway
    init() throws { app = try TestGateway() }

    @Test func everyAPICallNeedsATenant() throws {
        let (_, token) = try app.tenantWithAdmin()
        let login = try app.call("POST", "/api/v1/auth/login", json: ["username": "admin", "password": "x"])
        #expect(login.status == 400)
        #expect(login.code == "missing_tenant")
        let me = try app.call("GET", "/api/v1/auth/me", token: token)
        #expect(me.status == 400)
        #expect(me.code == "missing_tenant")
        let hostile = try app.call("GET", "/api/v1/auth/me", tenant: "x'; DROP TABLE auth.users; --", token: token)
        #expect(hostile.status == 400)
        #expect(hostile.code == "invalid_tenant")
    }

    @Test func everyAPICallButLoginNeedsAToken() throws {
        let (tenant, _) = try app.tenantWithAdmin()
        for (method, path) in [("GET", "/api/v1/auth/me"), ("GET", "/api/v1/auth/users"), ("POST", "/api/v1/auth/register")] {
            let reply = try app.call(method, path, tenant: tenant)
            #expect(reply.status == 401, "\(method) \(path)")
            #expect(reply.code == "missing_token")
            #expect(reply.header("content-type") == "application/problem+json")
        }
        let basic = try app.call("GET", "/api/v1/auth/me", tenant: tenant, headers: [("authorization", "Basic YTpi")])
        #expect(basic.status == 401)
    }

    /// The scheme is case-insensitive and blanks around the token do not
    /// count; a header with no token in it is no token.
    @Test(arguments: [
        ("Bearer ", "", 200), ("bearer ", "", 200), ("BEARER  \t", " \t ", 200), ("Bearer", "", 401),
        ("Basic ", "", 401),
    ])
    func theBearerTokenIsReadWhateverTheBlanksAround(scheme: String, trailing: String, status: Int) throws {
        let (tenant, token) = try app.tenantWithAdmin()
        let reply = try app.call(
            "GET", "/api/v1/auth/me", tenant: tenant,
            headers: [(name: "authorization", value: scheme + (status == 200 ? token : "") + trailing)])
        #expect(reply.status == status, "\(scheme)…\(trailing): \(reply.code ?? "")")
        if status == 401 { #expect(reply.code == "missing_token") }
        let blank = try app.call("GET", "/api/v1/auth/me", tenant: tenant, headers: [(name: "authorization", value: "Bearer  \t ")])
        #expect(blank.code == "missing_token")
    }

    @Test func aTokenOfAnotherTenantIsRefused() throws {
        let (_, tokenA) = try app.tenantWithAdmin("iso-a")
        let (tenantB, _) = try app.tenantWithAdmin("iso-b")
        let reply = try app.call("GET", "/api/v1/auth/me", tenant: tenantB, token: tokenA)
        #expect(reply.status == 403)
        #expect(reply.code == "tenant_mismatch")
    }

    @Test func anotherTenantsUserDoesNotExist() throws {
        let (tenantA, tokenA) = try app.tenantWithAdmin("iso-a")
        let (tenantB, tokenB) = try app.tenantWithAdmin("iso-b")
        let meA = try app.call("GET", "/api/v1/auth/me", tenant: tenantA, token: tokenA)
        let idA = try meA.decoded(Caller.self).id
        let read = try app.call("GET", "/api/v1/auth/users/\(idA)", tenant: tenantB, token: tokenB)
        let never = try app.call("GET", "/api/v1/auth/users/\(UUID().uuidString)", tenant: tenantB, token: tokenB)
        #expect(read.status == 404)
        #expect(read.code == never.code)
        #expect(read.json["detail"] as? String == never.json["detail"] as? String)
        let write = try app.call(
            "PATCH", "/api/v1/auth/users/\(idA)", tenant: tenantB, token: tokenB, json: ["active": false])
        #expect(write.status == 404)
        let stillActive = try app.call("GET", "/api/v1/auth/users/\(idA)", tenant: tenantA, token: tokenA)
        #expect(try stillActive.decoded(User.self).active)
        let list = try app.call("GET", "/api/v1/auth/users", tenant: tenantB, token: tokenB)
        #expect(try !list.decoded([User].self).contains { $0.id == idA })
        let notAUUID = try app.call("GET", "/api/v1/auth/users/1%27%20OR%201=1", tenant: tenantB, token: tokenB)
        #expect(notAUUID.status == 404)
    }

    // MARK: JWT attacks

    /// A token with the given header and claims, signed with `secret`.
    static func forge(header: String, claims: [String: Any], secret: [UInt8]) throws -> String {
        let payload = Base64URL.encode(Array(try JSONSerialization.data(withJSONObject: claims)))
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + payload
        return signingInput + "." + Base64URL.encode(Digest.hmacSHA256(key: secret, data: Array(signingInput.utf8)))
    }

    func claims(tenant: String, expiresIn: Int = 3600) -> [String: Any] {
        let now = Int(Date().timeIntervalSince1970)
        return [
            "sub": UUID().uuidString.lowercased(), "tenant": tenant, "role": "admin", "username": "mallory",
            "iat": now, "exp": now + expiresIn, "iss": "banyan",
        ]
    }

    @Test func aForgedTokenWithTheRightSecretIsAccepted() throws {
        // Proves the forging helper is right, so the attacks below fail for their own reason.
        let (tenant, _) = try app.tenantWithAdmin()
        let token = try Self.forge(header: #"{"alg":"HS256","typ":"JWT"}"#, claims: claims(tenant: tenant), secret: app.jwtSecret)
        #expect(try app.call("GET", "/api/v1/auth/me", tenant: tenant, token: token).status == 200)
    }

    enum Attack: String, CaseIterable {
        case algNone, algHS512, algMissing, algLowercase, wrongSecret, expired, noTenant, tamperedPayload, noSignature, garbage
    }

    @Test(arguments: Attack.allCases)
    func attacksOnTheTokenAreRefused(_ attack: Attack) throws {
        let (tenant, realToken) = try app.tenantWithAdmin()
        let secret = app.jwtSecret
        let good = claims(tenant: tenant)
        let hs256 = #"{"alg":"HS256","typ":"JWT"}"#
        let token: String
        switch attack {
        case .algNone:
            let unsigned = try Self.forge(header: #"{"alg":"none","typ":"JWT"}"#, claims: good, secret: secret)
            token = unsigned.split(separator: ".").prefix(2).joined(separator: ".") + "."
        case .algHS512: token = try Self.forge(header: #"{"alg":"HS512","typ":"JWT"}"#, claims: good, secret: secret)
        case .algMissing: token = try Self.forge(header: #"{"typ":"JWT"}"#, claims: good, secret: secret)
        case .algLowercase: token = try Self.forge(header: #"{"alg":"hs256","typ":"JWT"}"#, claims: good, secret: secret)
        case .wrongSecret: token = try Self.forge(header: hs256, claims: good, secret: SecureRandom.bytes(32))
        case .expired: token = try Self.forge(header: hs256, claims: claims(tenant: tenant, expiresIn: -3600), secret: secret)
        case .noTenant:
            var claims = good
            claims.removeValue(forKey: "tenant")
            token = try Self.forge(header: hs256, claims: claims, secret: secret)
        case .tamperedPayload:
            // The real token with its payload swapped for one that claims more.
            let parts = realToken.split(separator: ".")
            var claims = good
            claims["role"] = "admin"
            claims["username"] = "root"
            let payload = Base64URL.encode(Array(try JSONSerialization.data(withJSONObject: claims)))
            token = "\(parts[0]).\(payload).\(parts[2])"
        case .noSignature: token = realToken.split(separator: ".").prefix(2).joined(separator: ".")
        case .garbage: token = "not.a.jwt"
        }
        let reply = try app.call("GET", "/api/v1/auth/me", tenant: tenant, token: token)
        #expect(reply.status == 401)
        #expect(reply.code == (attack == .expired ? "token_expired" : "invalid_token"))
    }

    // MARK: Operator API

    @Test func tenantCreationNeedsTheOpsToken() throws {
        let body: [String: Any] = [
            "tenant_id": "sneaky", "name": "Sneaky",
            "admin": ["username": "admin", "email": "a@example.com", "password": "password-1"],
        ]
        let none = try app.call("POST", "/admin/tenants", json: body)
        #expect(none.status == 401)
        let wrong = try app.call("POST", "/admin/tenants", token: "wrong-token", json: body)
        #expect(wrong.status == 401)
        #expect(wrong.code == "invalid_token")
        let (tenant, userToken) = try app.tenantWithAdmin()
        let userTokenTried = try app.call("POST", "/admin/tenants", tenant: tenant, token: userToken, json: body)
        #expect(userTokenTried.status == 401)
    }

    @Test func tenantsAreCreatedOnceWithValidIDs() throws {
        let tenant = "dup-\(Hex.encode(SecureRandom.bytes(3)))"
        try app.createTenant(tenant)
        let again = try app.call(
            "POST", "/admin/tenants", token: app.opsToken,
            json: ["tenant_id": tenant, "name": "Again", "admin": ["username": "other", "email": "o@example.com", "password": "password-2"]])
        #expect(again.status == 409)
        #expect(again.code == "tenant_exists")
        // The first admin's password still works: the failed call changed nothing.
        _ = try app.login(tenant, "admin", "admin-password-1")
        for bad in ["UPPER", "a", "-lead", "trail-", "with space", "semi;colon", String(repeating: "x", count: 64)] {
            let reply = try app.call(
                "POST", "/admin/tenants", token: app.opsToken,
                json: ["tenant_id": bad, "name": "Bad", "admin": ["username": "admin", "email": "a@example.com", "password": "password-1"]])
            #expect(reply.status == 422, "tenant id \(bad)")
        }
    }
}
