import Foundation
import Platform
import Security

/// What one contract case works in: a tenant of its own that no other case
/// (and no earlier run against the same database) has used, a second one
/// for isolation checks, and call contexts for each role.
public struct ContractEnvironment: Sendable {
    /// The tenant the case works for.
    public let tenant: TenantID
    /// Another fresh tenant, to prove the first one's data stays its own.
    public let otherTenant: TenantID
    /// Random hex shared by the tenant ids, request ids and keys of this environment.
    public let run: String

    public init(tenant: TenantID, otherTenant: TenantID, run: String) {
        self.tenant = tenant
        self.otherTenant = otherTenant
        self.run = run
    }

    /// Two tenants nobody has used: `ct-<random>-a` and `ct-<random>-b`.
    public static func fresh() -> ContractEnvironment {
        let run = Hex.encode(SecureRandom.bytes(6))
        // Lower-case hex with dashes is always a valid tenant id.
        return ContractEnvironment(
            tenant: TenantID("ct-\(run)-a")!, otherTenant: TenantID("ct-\(run)-b")!, run: run)
    }

    /// A call by a user with `role` (nil: an anonymous call) in `tenant`.
    public func context(_ role: Role?) -> CallContext {
        context(role, tenant: tenant)
    }

    /// The same call made in `otherTenant`.
    public func otherTenantContext(_ role: Role?) -> CallContext {
        context(role, tenant: otherTenant)
    }

    public var cashier: CallContext { context(.cashier) }
    public var manager: CallContext { context(.manager) }
    public var admin: CallContext { context(.admin) }

    /// An idempotency or reservation key for this environment, e.g. `contract:1a2b3c:order-1`.
    public func key(_ label: String) -> String { "contract:\(run):\(label)" }

    /// A fresh identifier in the canonical spelling (lower-case UUID) that
    /// providers answer with, so ids read back compare equal.
    public func newID() -> String { UUID().uuidString.lowercased() }

    private func context(_ role: Role?, tenant: TenantID) -> CallContext {
        CallContext(
            tenant: tenant, userID: role.map { "contract-\($0.rawValue)" }, role: role,
            requestID: "contract-\(run)-\(role?.rawValue ?? "anonymous")")
    }
}
