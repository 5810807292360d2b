import BanyanTestSupport
import Platform
import Security

@testable import Gateway

/// Shared by every module's route tests (their routes live in Gateway).
extension RouteHarness {
    /// `routes` behind the gateway's own pipeline (tenant and token walls,
    /// routing, problem mapping): the composition root is not ours.
    package init(_ routes: [Route], tenant: String, role: Role = .manager) {
        self.init(tenant: tenant, role: role) { signer in
            GatewayResponder(
                router: Router(routes),
                authentication: EdgeAuthentication(signer: signer, opsToken: SecureRandom.bytes(16)), log: .discard)
        }
    }
}
