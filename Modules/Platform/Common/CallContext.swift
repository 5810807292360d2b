/// Who is calling a module facade, on whose behalf, and under which request.
///
/// Built by the gateway from the verified token and headers, passed to every
/// facade call, so a module never reads HTTP and never trusts a tenant it was
/// not handed by the edge.
public struct CallContext: Sendable {
    public var tenant: TenantID
    /// The authenticated user's id, or nil for anonymous calls (login).
    public var userID: String?
    /// The authenticated user's role name (`admin`, `manager`, `cashier`).
    public var role: String?
    public var requestID: String

    public init(tenant: TenantID, userID: String? = nil, role: String? = nil, requestID: String) {
        self.tenant = tenant
        self.userID = userID
        self.role = role
        self.requestID = requestID
    }
}
