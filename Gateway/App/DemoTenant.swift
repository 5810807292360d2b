import AuthAPI
import Platform
import Security

/// The demo restaurants `scripts/up` opens so a newcomer can log in at once,
/// one per stage of a move to the services (flags.json as shipped):
/// `demo-bistro` with every module in-process, `demo-cafe` with Payments and
/// Inventory in their services, `demo-diner` with every module in its
/// service. Their admins share one password, generated once and kept in
/// `.banyan/` (`BANYAN_DEMO_PASSWORD` overrides), so every start prints the
/// same one.
public enum DemoTenant {
    public static let tenants = [
        (id: "demo-bistro", name: "Demo Bistro"), (id: "demo-cafe", name: "Demo Cafe"),
        (id: "demo-diner", name: "Demo Diner"),
    ]
    public static var tenantIDs: [String] { tenants.map(\.id) }
    public static let adminUsername = "admin"

    /// Creates the demo tenants that do not exist yet, and returns their admin password.
    ///
    /// - Parameter auth: Auth called in this process (`Gateway.hostedAuth`),
    ///   not the routed facade: the gateway opens the tenants before
    ///   scripts/up starts the services, so demo-diner's home, auth-service,
    ///   is not up yet. Both write the same auth schema.
    public static func ensure(auth: any AuthFacade) throws -> String {
        let password = try SecretStore.loadOrCreateToken(
            environment: "BANYAN_DEMO_PASSWORD", file: "demo-admin-password")
        for tenant in tenants {
            let request = CreateTenantRequest(
                tenantID: tenant.id, name: tenant.name,
                admin: .init(username: adminUsername, email: "admin@\(tenant.id).example", password: password))
            do {
                _ = try auth.createTenant(
                    .system(tenant: try request.tenant(), component: "demo", requestID: "demo-\(tenant.id)"), request)
            } catch let error as AuthError where error == .tenantExists {
                // Opened by an earlier start with the same stored password.
            }
        }
        return password
    }
}
