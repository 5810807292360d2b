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
            ) { context, request in
                // Made for the tenant being opened, so that tenant's flag routes
                // it (the module's default until flags.json names it), by
                // Banyan itself: no user of it exists yet.
                var call = CallContext.system(tenant: try request.tenant(), component: "operator", requestID: context.requestID)
                call.deadline = context.deadline
                return Created(try auth.createTenant(call, request))
            }
        ]
    }
}
