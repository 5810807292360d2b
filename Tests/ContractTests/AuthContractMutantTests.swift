import AuthAPI
import AuthContract
import AuthModule
import Contract
import Platform
import Synchronization
import Testing

// Auth's suite must catch a provider that breaks a rule, as the other
// modules' must: each mutant wraps the real in-process module and breaks one
// thing, and the cases guarding it fail.
extension ModuleContractTests {
    static func authFailures(_ provider: any AuthFacade) -> Set<String> {
        Set(ContractRunner.run(AuthContract.cases, against: provider).filter { !$0.passed }.map(\.name))
    }

    /// Auth in this process, as the suite's fixture hosts it.
    static func auth() throws -> any AuthFacade {
        AuthModule.client(try ContractFixture.require(AuthModule.descriptor.name).local)
    }

    @Test func aProviderThatLetsAnyoneRegisterStaffFailsExactlyTheRegistrationRoleCase() throws {
        #expect(
            Self.authFailures(RegistrationForAnyone(base: try Self.auth()))
                == ["only an admin registers staff: AccessDenied for a manager, a cashier and an anonymous caller"])
    }

    @Test func aProviderThatFindsUsersAcrossTenantsFailsTheIsolationCase() throws {
        let failed = Self.authFailures(UsersAcrossTenants(base: try Self.auth()))
        #expect(failed.contains("another tenant can neither log in as, read, list nor change this tenant's staff"))
        #expect(!failed.contains("an operator opens a tenant with its first admin, who logs in as its admin"))
    }
}

/// Registers with an admin's rights whoever asks.
struct RegistrationForAnyone: AuthFacade {
    let base: any AuthFacade
    func createTenant(_ context: CallContext, _ request: CreateTenantRequest) throws -> Tenant {
        try base.createTenant(context, request)
    }
    func login(_ context: CallContext, _ request: LoginRequest) throws -> LoginResult { try base.login(context, request) }
    func register(_ context: CallContext, _ request: RegisterUserRequest) throws -> User {
        var elevated = context
        elevated.role = .admin
        return try base.register(elevated, request)
    }
    func user(_ context: CallContext, id: String) throws -> User { try base.user(context, id: id) }
    func listUsers(_ context: CallContext) throws -> [User] { try base.listUsers(context) }
    func updateUser(_ context: CallContext, id: String, _ request: UpdateUserRequest) throws -> User {
        try base.updateUser(context, id: id, request)
    }
}

/// Remembers every user it answered and finds them by id for any tenant.
final class UsersAcrossTenants: AuthFacade {
    let base: any AuthFacade
    // Cases may run in parallel.
    private let seen = Mutex<[String: User]>([:])

    init(base: any AuthFacade) { self.base = base }

    private func remember(_ user: User) -> User {
        seen.withLock { $0[user.id] = user }
        return user
    }

    func createTenant(_ context: CallContext, _ request: CreateTenantRequest) throws -> Tenant {
        try base.createTenant(context, request)
    }
    func login(_ context: CallContext, _ request: LoginRequest) throws -> LoginResult {
        let result = try base.login(context, request)
        _ = remember(result.user)
        return result
    }
    func register(_ context: CallContext, _ request: RegisterUserRequest) throws -> User {
        remember(try base.register(context, request))
    }
    func user(_ context: CallContext, id: String) throws -> User {
        if let known = seen.withLock({ $0[id] }), context.role != nil { return known }
        return try base.user(context, id: id)
    }
    func listUsers(_ context: CallContext) throws -> [User] { try base.listUsers(context) }
    func updateUser(_ context: CallContext, id: String, _ request: UpdateUserRequest) throws -> User {
        try base.updateUser(context, id: id, request)
    }
}
