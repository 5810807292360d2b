import AuthAPI
import Contract
import Foundation
import Platform

extension AuthContract {
    static let logins: [Case] = [
        Case("a login answers a bearer token naming the user, tenant and role, valid for expires_in seconds") {
            auth, env in
            let admin = try open(auth, env)
            let cashier = try hire(auth, env, by: admin, "till", .cashier)
            // Usernames compare without case.
            let result = try logIn(auth, env, "TILL")
            try Expect.equal(result.user, cashier, "the user logged in")
            try Expect.equal(result.tokenType, "bearer", "token_type")
            try Expect.that(result.expiresIn > 0, "expires_in is positive (\(result.expiresIn))")
            try expectNoSecrets(result, "the login's answer")
            let claims = try claims(of: result.accessToken)
            try Expect.equal(claims.sub, cashier.id, "the token's sub")
            try Expect.equal(claims.tenant, env.tenant.value, "the token's tenant")
            try Expect.equal(claims.role, "cashier", "the token's role")
            try Expect.equal(claims.username, "till", "the token's username")
            try Expect.equal(claims.exp - claims.iat, result.expiresIn, "the token's exp - iat")
            let now = Int(Date().timeIntervalSince1970)
            try Expect.that(abs(claims.iat - now) <= 300, "the token is issued now (iat \(claims.iat), now \(now))")
        },
        Case("a wrong password, an unknown user and oversized credentials all get invalidCredentials") { auth, env in
            try open(auth, env)
            let refused: [(what: String, request: LoginRequest)] = [
                ("a wrong password", LoginRequest(username: "owner", password: "not-the-password")),
                ("an empty password", LoginRequest(username: "owner", password: "")),
                ("an unknown user", LoginRequest(username: "nobody", password: ownerPassword)),
                ("a 300-byte username", LoginRequest(username: String(repeating: "u", count: 300), password: ownerPassword)),
                ("a 2000-byte password", LoginRequest(username: "owner", password: String(repeating: "p", count: 2000))),
            ]
            for (what, request) in refused {
                try Expect.error(AuthError.invalidCredentials, "login with \(what)") {
                    try auth.login(anonymous(env), request)
                }
            }
            // Limits on attempts are the gateway's: Auth itself locks nobody out.
            try Expect.equal(try logIn(auth, env, "owner", ownerPassword).user.role, .admin, "the right password afterwards")
        },
        Case("a disabled user gets userDisabled with the right password, invalidCredentials with a wrong one") {
            auth, env in
            let admin = try open(auth, env)
            let cook = try hire(auth, env, by: admin, "cook", .cashier)
            let disabled = try auth.updateUser(acting(as: admin, env), id: cook.id, UpdateUserRequest(active: false))
            try Expect.equal(disabled.active, false, "active after disabling")
            try Expect.error(AuthError.userDisabled, "the disabled user's login") { try logIn(auth, env, "cook") }
            try Expect.error(AuthError.invalidCredentials, "the disabled user's login with a wrong password") {
                try logIn(auth, env, "cook", "not-the-password")
            }
            let enabled = try auth.updateUser(acting(as: admin, env), id: cook.id, UpdateUserRequest(active: true))
            try Expect.equal(enabled.active, true, "active after enabling again")
            try Expect.equal(try logIn(auth, env, "cook").user, enabled, "the login once enabled again")
        },
    ]
}
