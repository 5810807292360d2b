import AuthAPI
import Platform
import Security

/// The demo restaurants `scripts/up` opens so a newcomer can log in at once:
/// `demo-bistro` (payments in-process) and `demo-cafe` (payments in
/// payments-service, per flags.json). Both admins share one password,
/// generated once and kept in `.banyan/` (`BANYAN_DEMO_PASSWORD` overrides),
/// so every start prints the same one.
public enum DemoTenant {
    public static let tenantIDs = ["demo-bistro", "demo-cafe"]
    public static let adminUsername = "admin"

    /// Creates the demo tenants that do not exist yet, and returns their admin password.
    public static func ensure(auth: any AuthFacade) throws -> String {
        let password = try SecretStore.loadOrCreateToken(
            environment: "BANYAN_DEMO_PASSWORD", file: "demo-admin-password")
        for tenant in tenantIDs {
            let request = CreateTenantRequest(
                tenantID: tenant, name: tenant == "demo-cafe" ? "Demo Cafe" : "Demo Bistro",
                admin: .init(username: adminUsername, email: "admin@\(tenant).example", password: password))
            do {
                _ = try auth.createTenant(
                    .system(tenant: try request.tenant(), component: "demo", requestID: "demo-\(tenant)"), request)
            } catch let error as AuthError where error == .tenantExists {
                // Opened by an earlier start with the same stored password.
            }
        }
        return password
    }
}
