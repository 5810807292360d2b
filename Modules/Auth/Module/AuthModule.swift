import Auth
import AuthAPI
import AuthContract
import Bootstrap
import Contract
import Facade
import Platform
import Security

/// Auth as the rest of Banyan composes it: its descriptor (what every process
/// and tool reads), what it needs from its host (the token key, the password
/// hasher), its facade, and the half of it that stays at the gateway's edge.
///
/// Logins, registrations, user management and tenant creation go through
/// the facade, routed per tenant like any extractable module's. Checking a
/// token does not: the edge verifies it with the same `tokens` and refuses
/// revoked ones from a list it keeps in memory (`revocationFeed`), so no
/// request waits on Auth, wherever Auth runs.
package enum AuthModule {
    /// How user tokens are signed and how long they live. `main` (the
    /// gateway's and auth-service's) reads the key from `JWT_SECRET_KEY`;
    /// by default it is a key of this process's own, so a host that gives
    /// none never signs with a key anyone else knows. Tests inject theirs.
    package static let tokens = HostKey<UserTokens>(default: UserTokens(secret: SecureRandom.bytes(32)))

    /// How passwords are hashed: scrypt at its standard cost unless the host
    /// says otherwise. No setting reads it (a weaker cost has no place in
    /// production); tests inject `PasswordHasher(cost: .testing)`.
    package static let passwordHasher = HostKey<PasswordHasher>(default: PasswordHasher())

    package static let descriptor: ModuleDescriptor = ModuleDescriptor(
        name: "auth", schema: AuthSchema.module,
        service: ServiceDescriptor(
            executable: "auth-service", defaultPort: 4001, interface: AuthOperations.interface,
            contract: ContractSuite(cases: AuthContract.cases, client: client)
        ) { host in service(in: host).operations() },
        sharedSettings: [UserTokens.secretVariable],
        configure: { host in host[tokens] = UserTokens.fromEnvironment() })

    /// Auth for code in `host`: calls go where the host routes them.
    package static func facade(in host: ModuleHost) -> any AuthFacade {
        client(host.transport(to: descriptor))
    }

    /// `AuthFacade` over any transport to Auth's operations.
    @Sendable package static func client(_ transport: any Transport) -> any AuthFacade {
        AuthClient(transport: transport)
    }

    /// The revocations of every tenant, read from `host`'s auth schema about
    /// once a second and kept for as long as `tokens` live: what the edge
    /// refuses older tokens by. It reads the table Auth writes, in the one
    /// database every process shares, so it works whichever process served
    /// the change.
    package static func revocationFeed(in host: ModuleHost, log: Log) -> RevocationFeed {
        RevocationFeed(
            pool: host.database.pool(for: descriptor.name), tokenLifetime: host.environment[tokens].lifetime, log: log)
    }

    /// Every restaurant's id, read from `host`'s auth schema across tenants:
    /// the tenants a flags preview names one by one.
    package static func tenantDirectory(in host: ModuleHost) -> TenantDirectory {
        TenantDirectory(pool: host.database.pool(for: descriptor.name))
    }

    private static func service(in host: ModuleHost) -> AuthService {
        let issued = host.environment[Self.tokens]
        return AuthService(
            pool: host.database.pool(for: descriptor.name), signer: issued.signer,
            hasher: host.environment[passwordHasher], tokenLifetime: issued.lifetime)
    }
}
