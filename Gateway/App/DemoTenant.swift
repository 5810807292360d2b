import AuthAPI
import Platform
import Security

/// The `demo-bistro` restaurant `scripts/up` opens so a newcomer can log in
/// at once. Its admin password is generated once and kept in `.banyan/`
/// (`BANYAN_DEMO_PASSWORD` overrides), so every start prints the same one.
public enum DemoTenant {
    public static let tenantID = "demo-bistro"
    public static let adminUsername = "admin"

    /// Creates the demo tenant unless it exists, and returns its admin password.
    public static func ensure(auth: any AuthFacade) throws -> String {
        let password = try SecretStore.loadOrCreateToken(
            environment: "BANYAN_DEMO_PASSWORD", file: "demo-admin-password")
        do {
            _ = try auth.createTenant(
                CreateTenantRequest(
                    tenantID: tenantID, name: "Demo Bistro",
                    admin: .init(username: adminUsername, email: "admin@demo-bistro.example", password: password)))
        } catch let error as AuthError where error == .tenantExists {
            // Opened by an earlier start with the same stored password.
        }
        return password
    }
}
