import AuthAPI
import Contract
import Platform

extension AuthContract {
    static let tenants: [Case] = [
        Case("an operator opens a tenant with its first admin, who logs in as its admin") { auth, env in
            let tenant = try auth.createTenant(
                opening(env.tenant, env), tenantRequest(env.tenant.value, name: "  Chez Contract  "))
            try Expect.equal(tenant.id, env.tenant.value, "tenant_id")
            try Expect.equal(tenant.name, "Chez Contract", "name, trimmed")
            try expectNoSecrets(tenant, "the tenant")
            let login = try auth.login(anonymous(env), LoginRequest(username: "owner", password: ownerPassword))
            let admin = login.user
            try Expect.equal(admin.username, "owner", "the admin's username")
            try Expect.equal(admin.email, "owner@\(env.tenant.value).example", "the admin's email")
            try Expect.equal(admin.role, .admin, "the admin's role")
            try Expect.equal(admin.active, true, "the admin is active")
            try Expect.equal(admin.tenantID, env.tenant.value, "the admin's tenant")
            try Expect.equal(try auth.listUsers(acting(as: admin, env)), [admin], "the new tenant's staff: its admin alone")
        },
        Case("a tenant is opened once: tenantExists, and its first admin stays the only one") { auth, env in
            let admin = try open(auth, env)
            try Expect.error(AuthError.tenantExists, "opening it again") {
                try auth.createTenant(
                    opening(env.tenant, env),
                    tenantRequest(env.tenant.value, name: "Impostor", admin: "impostor", password: "impostor-password"))
            }
            try Expect.error(AuthError.invalidCredentials, "the second admin's login") {
                try logIn(auth, env, "impostor", "impostor-password")
            }
            try Expect.equal(try auth.listUsers(acting(as: admin, env)), [admin], "the staff after the refusal")
        },
        Case("bad tenant ids, names and first admins are refused with invalidInput naming the field") { auth, env in
            let call = opening(env.tenant, env)
            let tenant = env.tenant.value
            let refused: [(what: String, field: String, request: CreateTenantRequest)] = [
                ("an upper-case tenant id", "tenant_id", tenantRequest(tenant.uppercased())),
                ("a tenant id with an underscore", "tenant_id", tenantRequest(tenant.replacingOccurrences(of: "-", with: "_"))),
                ("a one-character tenant id", "tenant_id", tenantRequest("c")),
                ("a tenant id other than the call's", "tenant_id", tenantRequest(env.otherTenant.value)),
                ("a blank name", "name", tenantRequest(tenant, name: "   ")),
                ("a 201-character name", "name", tenantRequest(tenant, name: String(repeating: "n", count: 201))),
                ("a two-character admin username", "username", tenantRequest(tenant, admin: "ab")),
                ("an admin username with a space", "username", tenantRequest(tenant, admin: "head chef")),
                ("an admin e-mail without @", "email", tenantRequest(tenant, email: "owner.example")),
                ("a 7-character admin password", "password", tenantRequest(tenant, password: "short-7")),
                ("a 129-character admin password", "password", tenantRequest(tenant, password: String(repeating: "p", count: 129))),
            ]
            for (what, field, request) in refused {
                try expectInvalid(field, "opening a tenant with \(what)") { try auth.createTenant(call, request) }
            }
            // Nothing was opened: both ids are still free.
            try open(auth, env)
            try open(auth, env, env.otherTenant)
        },
        Case("only an admin opens a tenant: AccessDenied for a manager, a cashier and an anonymous caller") { auth, env in
            for role in [Role.manager, .cashier, nil] {
                try Expect.error(AccessDenied(needed: .admin), "opening a tenant as \(role?.rawValue ?? "nobody")") {
                    try auth.createTenant(env.context(role), tenantRequest(env.tenant.value))
                }
            }
            try open(auth, env)
        },
    ]
}
