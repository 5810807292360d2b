import AuthAPI
import Foundation
import Testing

/// Disabling or demoting a user reaches every gateway of a deployment within
/// seconds, though no request reads the database to find out: two gateways
/// on one database, the change made through one, the old token refused by
/// the other.
@Suite struct RevocationTests {
    let first: TestGateway
    let second: TestGateway

    init() throws {
        first = try TestGateway()
        second = try TestGateway(sameDatabaseAs: first)
    }

    /// Registers a user through `first`; returns (id, username, password).
    private func register(_ role: String, tenant: String, adminToken: String) throws -> (String, String, String) {
        let name = "\(role)-\(UUID().uuidString.prefix(6).lowercased())"
        let password = "password-\(name)"
        let created = try first.call(
            "POST", "/api/v1/auth/register", tenant: tenant, token: adminToken,
            json: ["username": name, "email": "\(name)@example.com", "password": password, "role": role])
        return (try created.decoded(User.self).id, name, password)
    }

    private func me(_ node: TestGateway, _ tenant: String, _ token: String) throws -> TestGateway.Reply {
        try node.call("GET", "/api/v1/auth/me", tenant: tenant, token: token)
    }

    /// Polls `node` until `token` is refused; the seconds that took, or nil after 10 s.
    private func secondsUntilRefused(_ node: TestGateway, _ tenant: String, _ token: String) throws -> Double? {
        let started = Date()
        let refused = try node.eventually(within: 10) { try me(node, tenant, token).status == 401 }
        return refused ? Date().timeIntervalSince(started) : nil
    }

    @Test func aDisabledUsersTokenIsRefusedOnEveryNodeWithinFiveSeconds() throws {
        let (tenant, adminToken) = try first.tenantWithAdmin("revoke")
        let (leaverID, leaver, leaverPassword) = try register("cashier", tenant: tenant, adminToken: adminToken)
        let (_, stayer, stayerPassword) = try register("cashier", tenant: tenant, adminToken: adminToken)
        let leaverToken = try second.login(tenant, leaver, leaverPassword)
        let stayerToken = try second.login(tenant, stayer, stayerPassword)
        #expect(try me(second, tenant, leaverToken).status == 200)

        let disabled = try first.call(
            "PATCH", "/api/v1/auth/users/\(leaverID)", tenant: tenant, token: adminToken, json: ["active": false])
        #expect(disabled.status == 200)

        let elapsed = try secondsUntilRefused(second, tenant, leaverToken)
        #expect(elapsed != nil && elapsed! < 5, "refused after \(elapsed.map { "\($0) s" } ?? "never")")
        let refused = try me(second, tenant, leaverToken)
        #expect(refused.code == "token_revoked")
        #expect(refused.header("content-type") == "application/problem+json")
        #expect(try first.eventually(within: 5) { try me(first, tenant, leaverToken).code == "token_revoked" })
        // Worker routes refuse it as well as the I/O-thread /me.
        #expect(try second.call("GET", "/api/v1/restaurant/menu", tenant: tenant, token: leaverToken).code == "token_revoked")

        // Nobody else is affected.
        #expect(try me(second, tenant, stayerToken).status == 200)
        #expect(try me(first, tenant, stayerToken).status == 200)
        #expect(try me(first, tenant, adminToken).status == 200)

        // A gateway started after the change refuses the token from its first request.
        let third = try TestGateway(sameDatabaseAs: first)
        #expect(try me(third, tenant, leaverToken).code == "token_revoked")

        // Disabled means no new token either; re-enabled means a fresh login works everywhere at once.
        let blocked = try second.call(
            "POST", "/api/v1/auth/login", tenant: tenant, json: ["username": leaver, "password": leaverPassword])
        #expect(blocked.code == "user_disabled")
        let enabled = try first.call(
            "PATCH", "/api/v1/auth/users/\(leaverID)", tenant: tenant, token: adminToken, json: ["active": true])
        #expect(enabled.status == 200)
        let fresh = try second.login(tenant, leaver, leaverPassword)
        for node in [first, second, third] {
            #expect(try me(node, tenant, fresh).status == 200)
        }
        #expect(try me(second, tenant, leaverToken).code == "token_revoked", "the old token stays refused")
    }

    @Test func aDemotedUsersOldTokenIsRefusedAndTheirNewOneCarriesTheNewRole() throws {
        let (tenant, adminToken) = try first.tenantWithAdmin("demote")
        let (managerID, manager, password) = try register("manager", tenant: tenant, adminToken: adminToken)
        let oldToken = try second.login(tenant, manager, password)
        #expect(try second.call("GET", "/api/v1/auth/users", tenant: tenant, token: oldToken).status == 200)

        let demoted = try first.call(
            "PATCH", "/api/v1/auth/users/\(managerID)", tenant: tenant, token: adminToken, json: ["role": "cashier"])
        #expect(try demoted.decoded(User.self).role == .cashier)

        let elapsed = try secondsUntilRefused(second, tenant, oldToken)
        #expect(elapsed != nil && elapsed! < 5, "refused after \(elapsed.map { "\($0) s" } ?? "never")")
        let listed = try second.call("GET", "/api/v1/auth/users", tenant: tenant, token: oldToken)
        #expect(listed.status == 401)
        #expect(listed.code == "token_revoked")

        // Logging in again, at once, gives a working token with the role the user has now.
        let newToken = try second.login(tenant, manager, password)
        let me = try me(second, tenant, newToken)
        #expect(me.status == 200)
        #expect(try me.decoded(Caller.self).role == .cashier)
        let denied = try second.call("GET", "/api/v1/auth/users", tenant: tenant, token: newToken)
        #expect(denied.code == "insufficient_role")
    }

    @Test func anUpdateThatChangesNoAccessRevokesNothing() throws {
        let (tenant, adminToken) = try first.tenantWithAdmin("keep")
        let (id, name, password) = try register("cashier", tenant: tenant, adminToken: adminToken)
        let token = try second.login(tenant, name, password)
        // Same role, still active: the user's access is what it was.
        let patched = try first.call(
            "PATCH", "/api/v1/auth/users/\(id)", tenant: tenant, token: adminToken,
            json: ["role": "cashier", "active": true])
        #expect(patched.status == 200)
        // Another user's revocation, which the second node must have seen, marks the time.
        let (otherID, otherName, otherPassword) = try register("cashier", tenant: tenant, adminToken: adminToken)
        let otherToken = try second.login(tenant, otherName, otherPassword)
        _ = try first.call(
            "PATCH", "/api/v1/auth/users/\(otherID)", tenant: tenant, token: adminToken, json: ["active": false])
        #expect(try secondsUntilRefused(second, tenant, otherToken) != nil)
        #expect(try me(second, tenant, token).status == 200)
    }
}
