import Foundation

/// Who is calling a module facade, on whose behalf, and under which request.
///
/// Built by the gateway from the verified token and headers, passed to every
/// facade call, so a module never reads HTTP and never trusts a tenant it was
/// not handed by the edge.
public struct CallContext: Sendable {
    public var tenant: TenantID
    /// The authenticated user's id; `system:<component>` for Banyan's own work
    /// (event subscribers, saga recovery); nil for anonymous calls (login).
    public var userID: String?
    /// The authenticated user's role; nil for anonymous calls.
    public var role: Role?
    public var requestID: String
    /// The client's `Idempotency-Key`, when it sent one.
    public var idempotencyKey: String?
    /// The W3C `traceparent` of the incoming request, passed on to remote
    /// modules so one trace spans the gateway and the services.
    public var traceparent: String?
    /// When the caller stops waiting. A remote call never outlives it, and a
    /// call that arrives after it is refused (`deadline_exceeded`) instead of
    /// doing work nobody will read.
    public var deadline: Date?

    public init(
        tenant: TenantID, userID: String? = nil, role: Role? = nil, requestID: String, idempotencyKey: String? = nil,
        traceparent: String? = nil, deadline: Date? = nil
    ) {
        self.tenant = tenant
        self.userID = userID
        self.role = role
        self.requestID = requestID
        self.idempotencyKey = idempotencyKey
        self.traceparent = traceparent
        self.deadline = deadline
    }

    /// A context for work Banyan does itself for a tenant, not for a person.
    public static func system(tenant: TenantID, component: String, requestID: String) -> CallContext {
        CallContext(tenant: tenant, userID: "system:\(component)", role: .admin, requestID: requestID)
    }

    /// Throws `AccessDenied` unless the caller has at least `minimum`.
    public func require(_ minimum: Role) throws(AccessDenied) {
        guard let role, role >= minimum else { throw AccessDenied(needed: minimum) }
    }
}
