import AuthAPI
import Foundation
import Testing

@Suite struct AuthEndpointTests {
    let app: TestGateway
    init() throws { app = try TestGateway() }

    @Test func healthAndReadiness() throws {
        let health = try app.call("GET", "/health")
        #expect(health.status == 200)
        #expect(health.json["status"] as? String == "healthy")
        #expect(health.json["architecture"] as? String == "modular_monolith")
        #expect(health.header("x-request-id") != nil)
        let ready = try app.call("GET", "/ready")
        #expect(ready.status == 200)
    }

    @Test func requestIDIsEchoedWhenSaneAndReplacedWhenHostile() throws {
        let echoed = try app.call("GET", "/health", headers: [("x-request-id", "abc-123")])
        #expect(echoed.header("x-request-id") == "abc-123")
        let hostile = try app.call("GET", "/health", headers: [("x-request-id", "a\"b{}")])
        #expect(hostile.header("x-request-id") != "a\"b{}")
        #expect(hostile.header("x-request-id")?.isEmpty == false)
    }

    @Test func registerLoginAndMe() throws {
        let (tenant, adminToken) = try app.tenantWithAdmin()
        let created = try app.call(
            "POST", "/api/v1/auth/register", tenant: tenant, token: adminToken,
            json: ["username": "sam", "email": "sam@example.com", "password": "sam-password-1", "role": "cashier"])
        #expect(created.status == 201)
        let sam = try created.decoded(User.self)
        #expect(sam.role == .cashier)
        #expect(sam.username == "sam")
        // Absent from the wire, not merely unread by the type.
        #expect(created.json["password_hash"] == nil)
        #expect(created.json["password"] == nil)

        let login = try app.call(
            "POST", "/api/v1/auth/login", tenant: tenant, json: ["username": "sam", "password": "sam-password-1"])
        #expect(login.status == 200)
        let session = try login.decoded(LoginResult.self)
        #expect(session.tokenType == "bearer")
        #expect(session.expiresIn > 0)
        #expect(session.user.username == "sam")
        #expect(session.user.id == sam.id)

        let me = try app.call("GET", "/api/v1/auth/me", tenant: tenant, token: session.accessToken)
        #expect(me.status == 200)
        let caller = try me.decoded(Caller.self)
        #expect(caller.username == "sam")
        #expect(caller.tenantID == tenant)
        #expect(caller.role == .cashier)
        #expect(caller.id == sam.id)
    }

    @Test func unknownUserAndWrongPasswordGetTheSameAnswer() throws {
        let (tenant, _) = try app.tenantWithAdmin()
        let wrongPassword = try app.call(
            "POST", "/api/v1/auth/login", tenant: tenant, json: ["username": "admin", "password": "not-the-password"])
        let unknownUser = try app.call(
            "POST", "/api/v1/auth/login", tenant: tenant, json: ["username": "nobody", "password": "not-the-password"])
        #expect(wrongPassword.status == 401)
        #expect(unknownUser.status == 401)
        #expect(wrongPassword.code == "invalid_credentials")
        #expect(unknownUser.code == "invalid_credentials")
        #expect(wrongPassword.json["detail"] as? String == unknownUser.json["detail"] as? String)
    }

    @Test func sameUsernameInTwoTenantsAreTwoUsers() throws {
        let first = "twin-a-\(UUID().uuidString.prefix(8).lowercased())"
        let second = "twin-b-\(UUID().uuidString.prefix(8).lowercased())"
        try app.createTenant(first, admin: "chef", password: "first-password")
        try app.createTenant(second, admin: "chef", password: "second-password")
        let firstToken = try app.login(first, "chef", "first-password")
        let secondToken = try app.login(second, "chef", "second-password")
        // Each tenant's password works only in its own tenant.
        let crossed = try app.call(
            "POST", "/api/v1/auth/login", tenant: second, json: ["username": "chef", "password": "first-password"])
        #expect(crossed.status == 401)
        let firstMe = try app.call("GET", "/api/v1/auth/me", tenant: first, token: firstToken)
        let secondMe = try app.call("GET", "/api/v1/auth/me", tenant: second, token: secondToken)
        let firstCaller = try firstMe.decoded(Caller.self)
        let secondCaller = try secondMe.decoded(Caller.self)
        #expect(firstCaller.tenantID == first)
        #expect(secondCaller.tenantID == second)
        #expect(firstCaller.id != secondCaller.id)
    }

    @Test func usernamesAreUniquePerTenantIgnoringCase() throws {
        let (tenant, token) = try app.tenantWithAdmin()
        let body: [String: Any] = ["username": "Alex", "email": "a@example.com", "password": "password-123", "role": "manager"]
        #expect(try app.call("POST", "/api/v1/auth/register", tenant: tenant, token: token, json: body).status == 201)
        var again = body
        again["username"] = "alex"
        let duplicate = try app.call("POST", "/api/v1/auth/register", tenant: tenant, token: token, json: again)
        #expect(duplicate.status == 409)
        #expect(duplicate.code == "username_taken")
    }

    @Test func onlyAdminsRegisterAndOnlyManagersList() throws {
        let (tenant, adminToken) = try app.tenantWithAdmin()
        _ = try app.call(
            "POST", "/api/v1/auth/register", tenant: tenant, token: adminToken,
            json: ["username": "cash", "email": "c@example.com", "password": "cash-password", "role": "cashier"])
        let cashierToken = try app.login(tenant, "cash", "cash-password")
        let denied = try app.call(
            "POST", "/api/v1/auth/register", tenant: tenant, token: cashierToken,
            json: ["username": "evil", "email": "e@example.com", "password": "evil-password", "role": "admin"])
        #expect(denied.status == 403)
        #expect(denied.code == "insufficient_role")
        #expect(try app.call("GET", "/api/v1/auth/users", tenant: tenant, token: cashierToken).status == 403)
        let list = try app.call("GET", "/api/v1/auth/users", tenant: tenant, token: adminToken)
        #expect(list.status == 200)
        #expect(Set(try list.decoded([User].self).map(\.username)) == ["admin", "cash"])
    }

    @Test func staffReadTheirOwnRecordAndManagersReadAnyone() throws {
        let (tenant, adminToken) = try app.tenantWithAdmin()
        let cashierToken = try app.staff("cashier", tenant: tenant, adminToken: adminToken)
        let managerToken = try app.staff("manager", tenant: tenant, adminToken: adminToken)
        func id(_ token: String) throws -> String {
            try app.call("GET", "/api/v1/auth/me", tenant: tenant, token: token).decoded(Caller.self).id
        }
        let cashier = try id(cashierToken)
        let admin = try id(adminToken)

        let own = try app.call("GET", "/api/v1/auth/users/\(cashier)", tenant: tenant, token: cashierToken)
        #expect(own.status == 200)
        #expect(try own.decoded(User.self).id == cashier)
        #expect(own.json["password_hash"] == nil)
        // Upper case names the same user: still their own record.
        #expect(try app.call("GET", "/api/v1/auth/users/\(cashier.uppercased())", tenant: tenant, token: cashierToken).status == 200)

        let other = try app.call("GET", "/api/v1/auth/users/\(admin)", tenant: tenant, token: cashierToken)
        #expect(other.status == 403)
        #expect(other.code == "insufficient_role")
        #expect(other.json["username"] == nil)
        // Nor can a cashier tell a missing user from a hidden one.
        let missing = try app.call("GET", "/api/v1/auth/users/\(UUID().uuidString)", tenant: tenant, token: cashierToken)
        #expect(missing.status == 403)

        for target in [admin, cashier] {
            let read = try app.call("GET", "/api/v1/auth/users/\(target)", tenant: tenant, token: managerToken)
            #expect(read.status == 200)
            #expect(try read.decoded(User.self).id == target)
        }

        // Another restaurant's user is not found, exactly as today.
        let (otherTenant, otherAdminToken) = try app.tenantWithAdmin()
        let stranger = try app.call("GET", "/api/v1/auth/me", tenant: otherTenant, token: otherAdminToken)
            .decoded(Caller.self).id
        let crossed = try app.call("GET", "/api/v1/auth/users/\(stranger)", tenant: tenant, token: managerToken)
        #expect(crossed.status == 404)
        #expect(crossed.code == "user_not_found")
    }

    @Test func aDisabledUserCannotLogIn() throws {
        let (tenant, adminToken) = try app.tenantWithAdmin()
        let created = try app.call(
            "POST", "/api/v1/auth/register", tenant: tenant, token: adminToken,
            json: ["username": "leaver", "email": "l@example.com", "password": "leaver-password", "role": "cashier"])
        let id = try created.decoded(User.self).id
        let patched = try app.call(
            "PATCH", "/api/v1/auth/users/\(id)", tenant: tenant, token: adminToken, json: ["active": false])
        #expect(patched.status == 200)
        #expect(try patched.decoded(User.self).active == false)
        let login = try app.call(
            "POST", "/api/v1/auth/login", tenant: tenant, json: ["username": "leaver", "password": "leaver-password"])
        #expect(login.status == 403)
        #expect(login.code == "user_disabled")
        // A stranger guessing the password still learns nothing.
        let guess = try app.call(
            "POST", "/api/v1/auth/login", tenant: tenant, json: ["username": "leaver", "password": "wrong-password"])
        #expect(guess.code == "invalid_credentials")
    }

    @Test func anAdminCannotDemoteOrDisableThemselves() throws {
        let (tenant, token) = try app.tenantWithAdmin()
        let me = try app.call("GET", "/api/v1/auth/me", tenant: tenant, token: token)
        let id = try me.decoded(Caller.self).id
        let demote = try app.call("PATCH", "/api/v1/auth/users/\(id)", tenant: tenant, token: token, json: ["role": "cashier"])
        #expect(demote.status == 422)
        #expect(demote.code == "self_modification")
    }

    @Test(arguments: [
        (["username": "ab", "email": "x@example.com", "password": "password-1", "role": "cashier"], 422, "validation_failed"),
        (["username": "okname", "email": "not-an-email", "password": "password-1", "role": "cashier"], 422, "validation_failed"),
        (["username": "okname", "email": "x@example.com", "password": "short", "role": "cashier"], 422, "validation_failed"),
        (["username": "okname", "email": "x@example.com", "password": "password-1", "role": "owner"], 422, "validation_failed"),
        (["username": "okname", "email": "x@example.com", "password": "password-1"], 422, "validation_failed"),
        (["username": 42, "email": "x@example.com", "password": "password-1", "role": "cashier"], 422, "validation_failed"),
    ] as [([String: any Sendable], Int, String)])
    func registerRejectsBadInput(_ body: [String: any Sendable], _ status: Int, _ code: String) throws {
        let (tenant, token) = try app.tenantWithAdmin()
        let reply = try app.call("POST", "/api/v1/auth/register", tenant: tenant, token: token, json: body)
        #expect(reply.status == status)
        #expect(reply.code == code)
        #expect(reply.header("content-type") == "application/problem+json")
        let list = try app.call("GET", "/api/v1/auth/users", tenant: tenant, token: token)
        #expect(try list.decoded([User].self).count == 1, "nothing was written")
    }

    @Test func malformedBodiesAreRejected() throws {
        let (tenant, token) = try app.tenantWithAdmin()
        let garbage = try app.call(
            "POST", "/api/v1/auth/register", tenant: tenant, token: token, rawBody: Array("{not json".utf8),
            headers: [("content-type", "application/json")])
        #expect(garbage.status == 400)
        #expect(garbage.code == "malformed_json")
        let empty = try app.call(
            "POST", "/api/v1/auth/login", tenant: tenant, rawBody: [], headers: [("content-type", "application/json")])
        #expect(empty.status == 400)
        let form = try app.call(
            "POST", "/api/v1/auth/login", tenant: tenant, rawBody: Array("username=a".utf8),
            headers: [("content-type", "application/x-www-form-urlencoded")])
        #expect(form.status == 415)
        #expect(form.code == "unsupported_media_type")
        let array = try app.call(
            "POST", "/api/v1/auth/login", tenant: tenant, rawBody: Array("[1,2]".utf8),
            headers: [("content-type", "application/json")])
        #expect(array.status == 400 || array.status == 422)
    }

    @Test func unknownRoutesAndMethods() throws {
        let missing = try app.call("GET", "/api/v1/nowhere")
        #expect(missing.status == 404)
        #expect(missing.code == "not_found")
        let wrongMethod = try app.call("DELETE", "/health")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("allow") == "GET")
    }
}

@Suite struct DatabaseOutageTests {
    @Test func withoutTheDatabaseReadyIs503AndCallsSayWhy() throws {
        let app = try TestGateway()
        let (tenant, _) = try app.tenantWithAdmin()
        app.database.shutdown()
        let ready = try app.call("GET", "/ready")
        #expect(ready.status == 503)
        #expect(ready.code == "not_ready")
        let login = try app.call("POST", "/api/v1/auth/login", tenant: tenant, json: ["username": "admin", "password": "admin-password-1"])
        #expect(login.status == 503)
        #expect(login.code == "database_unavailable")
        // The process itself is still healthy.
        #expect(try app.call("GET", "/health").status == 200)
    }
}
