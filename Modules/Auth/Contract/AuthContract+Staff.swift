import AuthAPI
import Contract
import Foundation
import Platform

extension AuthContract {
    static let staff: [Case] = [
        Case("an admin registers staff of every role; each logs in with that role") { auth, env in
            let admin = try open(auth, env)
            var everyone = [admin]
            for role in Role.allCases {
                let user = try hire(auth, env, by: admin, "staff-\(role.rawValue)", role)
                try Expect.equal(user.username, "staff-\(role.rawValue)", "the \(role) username")
                try Expect.equal(user.email, "staff-\(role.rawValue)@\(env.tenant.value).example", "the \(role) email")
                try Expect.equal(user.role, role, "the \(role) role")
                try Expect.equal(user.active, true, "the \(role) is active")
                try Expect.equal(user.tenantID, env.tenant.value, "the \(role) tenant")
                try Expect.that(UUID(uuidString: user.id) != nil, "the \(role) id is a UUID (\(user.id))")
                try expectNoSecrets(user, "the registered \(role)")
                let login = try logIn(auth, env, user.username)
                try Expect.equal(login.user, user, "the \(role) logged in")
                try Expect.equal(try claims(of: login.accessToken).role, role.rawValue, "the \(role) token's role")
                everyone.append(user)
            }
            let listed = try auth.listUsers(acting(as: admin, env))
            try Expect.equal(Set(listed.map(\.id)), Set(everyone.map(\.id)), "the staff listed")
            try expectNoSecrets(listed, "the staff list")
        },
        Case("only an admin registers staff: AccessDenied for a manager, a cashier and an anonymous caller") {
            auth, env in
            let admin = try open(auth, env)
            let manager = try hire(auth, env, by: admin, "boss", .manager)
            let cashier = try hire(auth, env, by: admin, "till", .cashier)
            let callers = [
                ("a manager", acting(as: manager, env)), ("a cashier", acting(as: cashier, env)),
                ("an anonymous caller", anonymous(env)),
            ]
            for (who, call) in callers {
                for role in Role.allCases {
                    try Expect.error(AccessDenied(needed: .admin), "\(who) registering a \(role)") {
                        try auth.register(
                            call,
                            RegisterUserRequest(
                                username: "intruder", email: "intruder@example.com", password: staffPassword, role: role))
                    }
                }
            }
            try Expect.equal(try auth.listUsers(acting(as: admin, env)).count, 3, "the staff after the refusals")
            try Expect.error(AuthError.invalidCredentials, "the refused user's login") { try logIn(auth, env, "intruder") }
        },
        Case("invalid staff are refused with invalidInput naming the field, and nobody is added") { auth, env in
            let admin = try open(auth, env)
            let call = acting(as: admin, env)
            func staff(_ username: String = "newbie", email: String = "newbie@example.com", password: String = staffPassword)
                -> RegisterUserRequest
            {
                RegisterUserRequest(username: username, email: email, password: password, role: .cashier)
            }
            let refused: [(what: String, field: String, request: RegisterUserRequest)] = [
                ("a two-character username", "username", staff("ab")),
                ("a 65-character username", "username", staff(String(repeating: "u", count: 65))),
                ("a username with a space and a '!'", "username", staff("new bie!")),
                ("an e-mail without @", "email", staff(email: "newbie.example.com")),
                ("an e-mail with nothing before @", "email", staff(email: "@example.com")),
                ("an e-mail with nothing after @", "email", staff(email: "newbie@")),
                ("an e-mail with a space", "email", staff(email: "new bie@example.com")),
                ("a 255-character e-mail", "email", staff(email: String(repeating: "e", count: 243) + "@example.com")),
                ("a 7-character password", "password", staff(password: "short-7")),
                ("a 129-character password", "password", staff(password: String(repeating: "p", count: 129))),
            ]
            for (what, field, request) in refused {
                try expectInvalid(field, "registering \(what)") { try auth.register(call, request) }
            }
            try Expect.equal(try auth.listUsers(call), [admin], "the staff after the refusals")
        },
        Case("a username is taken once per tenant, whatever its case: usernameTaken") { auth, env in
            let admin = try open(auth, env)
            let chef = try hire(auth, env, by: admin, "chef", .cashier)
            for taken in ["chef", "CHEF", "Owner"] {
                try Expect.error(AuthError.usernameTaken, "registering \(taken)") {
                    try hire(auth, env, by: admin, taken, .manager)
                }
            }
            try Expect.equal(try auth.user(acting(as: admin, env), id: chef.id), chef, "the first chef, unchanged")
            try Expect.equal(try logIn(auth, env, "chef").user.role, .cashier, "the first chef's login")
            // Another restaurant has its own names.
            let otherAdmin = try open(auth, env, env.otherTenant)
            let otherChef = try hire(auth, env, by: otherAdmin, "chef", .manager, in: env.otherTenant)
            try Expect.that(otherChef.id != chef.id, "the other tenant's chef is someone else")
        },
        Case("managers read and list staff; a cashier reads only themself") { auth, env in
            let admin = try open(auth, env)
            let manager = try hire(auth, env, by: admin, "boss", .manager)
            let cashier = try hire(auth, env, by: admin, "till", .cashier)
            let listed = try auth.listUsers(acting(as: manager, env))
            try Expect.equal(Set(listed.map(\.id)), [admin.id, manager.id, cashier.id], "the staff a manager lists")
            try Expect.equal(try auth.user(acting(as: manager, env), id: cashier.id), cashier, "a manager reads a cashier")
            try Expect.equal(try auth.user(acting(as: cashier, env), id: cashier.id), cashier, "a cashier reads themself")
            try Expect.error(AccessDenied(needed: .manager), "a cashier reading a manager") {
                try auth.user(acting(as: cashier, env), id: manager.id)
            }
            try Expect.error(AccessDenied(needed: .manager), "a cashier listing the staff") {
                try auth.listUsers(acting(as: cashier, env))
            }
            try Expect.error(AccessDenied(needed: .manager), "an anonymous caller reading a user") {
                try auth.user(anonymous(env), id: admin.id)
            }
            try Expect.error(AccessDenied(needed: .manager), "an anonymous caller listing the staff") {
                try auth.listUsers(anonymous(env))
            }
            try Expect.error(AuthError.userNotFound, "reading an unknown id") {
                try auth.user(acting(as: manager, env), id: env.newID())
            }
            try Expect.error(AuthError.userNotFound, "reading an id that is not a UUID") {
                try auth.user(acting(as: manager, env), id: "not-a-user")
            }
        },
        Case("only an admin changes a role or activity, and never their own: selfModification") { auth, env in
            let admin = try open(auth, env)
            let manager = try hire(auth, env, by: admin, "boss", .manager)
            let cashier = try hire(auth, env, by: admin, "till", .cashier)
            try Expect.error(AccessDenied(needed: .admin), "a manager promoting a cashier") {
                try auth.updateUser(acting(as: manager, env), id: cashier.id, UpdateUserRequest(role: .manager))
            }
            try Expect.error(AccessDenied(needed: .admin), "a cashier promoting themself") {
                try auth.updateUser(acting(as: cashier, env), id: cashier.id, UpdateUserRequest(role: .admin))
            }
            try Expect.equal(try auth.user(acting(as: admin, env), id: cashier.id), cashier, "the cashier after the refusals")
            let promoted = try auth.updateUser(acting(as: admin, env), id: cashier.id, UpdateUserRequest(role: .manager))
            var expected = cashier
            expected.role = .manager
            try Expect.equal(promoted, expected, "the cashier promoted by the admin")
            try Expect.equal(try auth.user(acting(as: admin, env), id: cashier.id), expected, "the promotion read back")
            try Expect.equal(
                try auth.updateUser(acting(as: admin, env), id: manager.id, UpdateUserRequest()), manager,
                "an update that changes nothing")
            try Expect.error(AuthError.selfModification, "the admin disabling themself") {
                try auth.updateUser(acting(as: admin, env), id: admin.id, UpdateUserRequest(active: false))
            }
            try Expect.error(AuthError.selfModification, "the admin demoting themself") {
                try auth.updateUser(acting(as: admin, env), id: admin.id, UpdateUserRequest(role: .manager))
            }
            try Expect.equal(try auth.user(acting(as: admin, env), id: admin.id), admin, "the admin after the refusals")
            try Expect.error(AuthError.userNotFound, "updating an unknown id") {
                try auth.updateUser(acting(as: admin, env), id: env.newID(), UpdateUserRequest(active: false))
            }
        },
    ]
}
