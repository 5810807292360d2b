import AuthAPI
import HTTPServer
import Platform

/// `/admin/*`: operator endpoints behind the ops token.
enum AdminRoutes {
    static func routes(auth: any AuthFacade) -> [Route] {
        [
            Route("POST", "/admin/tenants", access: .operator) { context in
                let request = try context.decode(CreateTenantRequest.self)
                return try JSONCoding.response(try auth.createTenant(request), status: 201)
            }
        ]
    }
}
