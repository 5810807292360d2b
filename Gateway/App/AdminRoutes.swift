import AuthAPI
import HTTPServer
import Platform

/// `/admin/*`: operator endpoints behind the ops token.
enum AdminRoutes {
    static func routes(auth: any AuthFacade) -> [Route] {
        let admin = RouteGroup("/admin", access: .operator)
        return [
            admin.post(
                "/tenants", summary: "Open a restaurant with its first admin", body: CreateTenantRequest.self,
                problems: [AuthError.tenantExists]
            ) { _, request in
                Created(try auth.createTenant(request))
            }
        ]
    }
}
