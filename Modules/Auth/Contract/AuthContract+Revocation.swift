import AuthAPI
import Contract
import Platform

// The gateway refuses a token issued (`iat`) before its user's latest
// revocation, from a list it keeps itself; what Auth owes it is that every
// token issued after a revocation is dated after every token issued before.
extension AuthContract {
    static let revocation: [Case] = [
        Case("demoting a user dates their later tokens after every earlier one, with the new role") { auth, env in
            let admin = try open(auth, env)
            let manager = try hire(auth, env, by: admin, "boss", .manager)
            let before = try claims(of: try logIn(auth, env, "boss").accessToken)
            try Expect.equal(before.role, "manager", "the role in the token before")
            let demoted = try auth.updateUser(acting(as: admin, env), id: manager.id, UpdateUserRequest(role: .cashier))
            try Expect.equal(demoted.role, .cashier, "the role after demoting")
            let login = try logIn(auth, env, "boss")
            try Expect.equal(login.user.role, .cashier, "the role a login shows after demoting")
            let after = try claims(of: login.accessToken)
            try Expect.equal(after.role, "cashier", "the role in the token after")
            try Expect.that(
                after.iat > before.iat, "a token issued after the demotion (iat \(after.iat)) dated after one before (iat \(before.iat))")
            try Expect.error(AccessDenied(needed: .manager), "the demoted user listing the staff") {
                try auth.listUsers(acting(as: demoted, env))
            }
        },
        Case("disabling a user revokes the tokens they had: once enabled again, new ones are dated after") {
            auth, env in
            let admin = try open(auth, env)
            let cook = try hire(auth, env, by: admin, "cook", .cashier)
            let before = try claims(of: try logIn(auth, env, "cook").accessToken)
            _ = try auth.updateUser(acting(as: admin, env), id: cook.id, UpdateUserRequest(active: false))
            try Expect.error(AuthError.userDisabled, "the login while disabled") { try logIn(auth, env, "cook") }
            _ = try auth.updateUser(acting(as: admin, env), id: cook.id, UpdateUserRequest(active: true))
            let after = try claims(of: try logIn(auth, env, "cook").accessToken)
            try Expect.that(
                after.iat > before.iat, "a token issued after the disabling (iat \(after.iat)) dated after one before (iat \(before.iat))")
        },
    ]
}
