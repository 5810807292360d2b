import Platform

extension CreateTenantRequest {
    /// The tenant this request opens, or `invalidInput` naming `tenant_id`.
    /// The gateway needs it before the call (the call is made for that
    /// tenant) and Auth checks it again: both refuse a bad id the same way.
    public func tenant() throws(AuthError) -> TenantID {
        guard let tenant = TenantID(tenantID) else {
            throw .invalidInput(
                field: "tenant_id", reason: "2 to 63 characters: lower-case letters, digits and inner '-'")
        }
        return tenant
    }
}
