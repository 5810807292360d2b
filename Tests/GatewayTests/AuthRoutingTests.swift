import AuthAPI
import BanyanTestSupport
import Foundation
import Security
import Testing

/// Auth moved for one restaurant: a real gateway, a real `auth-service`
/// child process on the same database and JWT key, and flags.json routing
/// one tenant's Auth to it while another's stays in-process. What does not
/// move is the edge: the gateway checks every token itself, with the key
/// the service signs with and the revocations the service writes, and
/// throttles logins before they reach Auth.
@Suite(.serialized) struct AuthRoutingTests {
    let app: TestGateway
    let service: ServiceProcess

    init() throws {
        app = try TestGateway()
        service = try ServiceProcess.start(
            "auth-service", beside: app, environment: ["JWT_SECRET_KEY": String(decoding: app.jwtSecret, as: UTF8.self)])
    }

    private func open(_ tenant: String) throws -> TestGateway.Reply {
        try app.call(
            "POST", "/admin/tenants", token: app.opsToken,
            json: [
                "tenant_id": tenant, "name": "Restaurant \(tenant)",
                "admin": ["username": "admin", "email": "admin@\(tenant).example", "password": "admin-password-1"],
            ])
    }

    private func login(_ tenant: String, _ username: String, _ password: String) throws -> TestGateway.Reply {
        try app.call("POST", "/api/v1/auth/login", tenant: tenant, json: ["username": username, "password": password])
    }

    @Test func oneTenantsLoginsAndStaffAreServedByAuthServiceWhileTheEdgeChecksItsTokens() throws {
        defer { service.stop() }
        let suffix = Hex.encode(SecureRandom.bytes(4))
        let moved = "moved-\(suffix)"
        let stayed = "stayed-\(suffix)"
        // Before either tenant exists: opening one is routed by its own flag.
        try app.route("auth", of: [moved], to: service.url)

        let openedMoved = try open(moved)
        #expect(openedMoved.status == 201, "\(openedMoved.code ?? "")")
        #expect(openedMoved.header("x-banyan-route") == "auth=service")
        let openedStayed = try open(stayed)
        #expect(openedStayed.status == 201, "\(openedStayed.code ?? "")")
        #expect(openedStayed.header("x-banyan-route") == "auth=in-process")

        let adminLogin = try login(moved, "admin", "admin-password-1")
        #expect(adminLogin.status == 200, "\(adminLogin.code ?? "")")
        #expect(adminLogin.header("x-banyan-route") == "auth=service")
        let adminToken = try adminLogin.decoded(LoginResult.self).accessToken
        // Signed by the service, verified by the gateway alone.
        let me = try app.call("GET", "/api/v1/auth/me", tenant: moved, token: adminToken)
        #expect(me.status == 200)
        #expect(me.json["tenant_id"] as? String == moved)
        #expect(me.json["role"] as? String == "admin")
        #expect(me.header("x-banyan-route") == nil, "the edge answered without calling Auth")

        let registered = try app.call(
            "POST", "/api/v1/auth/register", tenant: moved, token: adminToken,
            json: ["username": "till", "email": "till@example.com", "password": "till-password-1", "role": "cashier"])
        #expect(registered.status == 201, "\(registered.code ?? "")")
        #expect(registered.header("x-banyan-route") == "auth=service")
        let till = try registered.decoded(User.self)
        let listed = try app.call("GET", "/api/v1/auth/users", tenant: moved, token: adminToken)
        #expect(listed.header("x-banyan-route") == "auth=service")
        #expect(Set(try listed.decoded([User].self).map(\.username)) == ["admin", "till"])
        let read = try app.call("GET", "/api/v1/auth/users/\(till.id)", tenant: moved, token: adminToken)
        #expect(read.header("x-banyan-route") == "auth=service")
        #expect(try read.decoded(User.self) == till)

        let tillToken = try app.login(moved, "till", "till-password-1")
        // Good for every module behind the edge, not only Auth's routes.
        #expect(try app.call("GET", "/api/v1/restaurant/menu", tenant: moved, token: tillToken).status == 200)

        let disabled = try app.call(
            "PATCH", "/api/v1/auth/users/\(till.id)", tenant: moved, token: adminToken, json: ["active": false])
        #expect(disabled.status == 200, "\(disabled.code ?? "")")
        #expect(disabled.header("x-banyan-route") == "auth=service")
        // The service wrote the revocation; the gateway's own list refuses the token.
        #expect(
            try app.eventually(within: 10) {
                try app.call("GET", "/api/v1/auth/me", tenant: moved, token: tillToken).code == "token_revoked"
            }, "the disabled user's token is refused at the edge")
        #expect(try app.call("GET", "/api/v1/restaurant/menu", tenant: moved, token: tillToken).code == "token_revoked")
        let refusedLogin = try login(moved, "till", "till-password-1")
        #expect(refusedLogin.status == 403)
        #expect(refusedLogin.code == "user_disabled")
        #expect(refusedLogin.header("x-banyan-route") == "auth=service")

        for operation in ["auth.create_tenant", "auth.login", "auth.register", "auth.list_users", "auth.user", "auth.update_user"] {
            #expect(
                app.eventually(within: 5) { service.served(operation: operation, tenant: moved, requestID: nil) },
                "auth-service served \(operation) for \(moved); its log:\n\(service.log)")
        }

        // The other restaurant never left the gateway.
        let stayedLogin = try login(stayed, "admin", "admin-password-1")
        #expect(stayedLogin.status == 200, "\(stayedLogin.code ?? "")")
        #expect(stayedLogin.header("x-banyan-route") == "auth=in-process")
        let stayedToken = try stayedLogin.decoded(LoginResult.self).accessToken
        let stayedStaff = try app.call("GET", "/api/v1/auth/users", tenant: stayed, token: stayedToken)
        #expect(stayedStaff.header("x-banyan-route") == "auth=in-process")
        #expect(try stayedStaff.decoded([User].self).map(\.username) == ["admin"])
        #expect(!service.served(operation: "auth.create_tenant", tenant: stayed, requestID: nil))
        #expect(!service.served(operation: "auth.login", tenant: stayed, requestID: nil))
        // A token the service signed is still its tenant's only.
        #expect(try app.call("GET", "/api/v1/auth/me", tenant: stayed, token: adminToken).code == "tenant_mismatch")
    }

    @Test func loginsToARoutedTenantAreThrottledAtTheEdgeBeforeTheyReachTheService() throws {
        defer { service.stop() }
        let tenant = "throttled-\(Hex.encode(SecureRandom.bytes(4)))"
        try app.route("auth", of: [tenant], to: service.url)
        #expect(try open(tenant).status == 201)
        // The default budget: five failures per username, then refused whatever the password.
        for attempt in 1...5 {
            let failed = try login(tenant, "admin", "wrong-password-\(attempt)")
            #expect(failed.status == 401, "attempt \(attempt): \(failed.code ?? "")")
            #expect(failed.header("x-banyan-route") == "auth=service")
        }
        let refused = try login(tenant, "admin", "admin-password-1")
        #expect(refused.status == 429)
        #expect(refused.code == "too_many_attempts")
        #expect(refused.header("x-banyan-route") == nil, "refused without a call to Auth")
    }
}
