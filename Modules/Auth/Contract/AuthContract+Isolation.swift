import AuthAPI
import Contract
import Platform

extension AuthContract {
    static let isolation: [Case] = [
        Case("another tenant can neither log in as, read, list nor change this tenant's staff") { auth, env in
            let admin = try open(auth, env)
            let cashier = try hire(auth, env, by: admin, "till", .cashier)
            // The other restaurant's admin has the same username and another password.
            let otherAdmin = try open(auth, env, env.otherTenant, password: "other-password-1")
            let stranger = acting(as: otherAdmin, env, in: env.otherTenant)
            for (whose, id) in [("cashier", cashier.id), ("admin", admin.id)] {
                try Expect.error(AuthError.userNotFound, "the other tenant reading this tenant's \(whose)") {
                    try auth.user(stranger, id: id)
                }
            }
            try Expect.equal(try auth.listUsers(stranger), [otherAdmin], "the staff the other tenant lists")
            for (what, update) in [("disabling", UpdateUserRequest(active: false)), ("promoting", UpdateUserRequest(role: .admin))] {
                try Expect.error(AuthError.userNotFound, "the other tenant \(what) this tenant's cashier") {
                    try auth.updateUser(stranger, id: cashier.id, update)
                }
            }
            try Expect.error(AuthError.invalidCredentials, "this tenant's cashier logging in to the other tenant") {
                try logIn(auth, env, "till", in: env.otherTenant)
            }
            try Expect.error(AuthError.invalidCredentials, "this tenant's admin password in the other tenant") {
                try logIn(auth, env, "owner", ownerPassword, in: env.otherTenant)
            }
            try Expect.equal(try auth.user(acting(as: admin, env), id: cashier.id), cashier, "the cashier, unchanged")
            try Expect.equal(try logIn(auth, env, "till").user, cashier, "the cashier's own login")
        },
    ]
}
