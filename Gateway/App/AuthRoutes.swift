import AuthAPI
import HTTPServer
import Platform
import Security

/// `/api/v1/auth/*`: HTTP in front of the `AuthFacade`.
enum AuthRoutes {
    static func routes(auth: any AuthFacade, throttle: LoginThrottle = LoginThrottle()) -> [Route] {
        [
            Route("POST", "/api/v1/auth/login", access: .tenant) { context in
                let request = try context.decode(LoginRequest.self)
                let tenant = context.callContext.tenant
                do {
                    let result = try throttle.attempt(tenant: tenant, username: request.username, from: context.request) {
                        try auth.login(tenant: tenant, request)
                    }
                    return try JSONCoding.response(result)
                } catch let refusal as LoginRefusal {
                    return refusal.response
                }
            },
            // Answered from the verified token alone: no database read, so it
            // never blocks and may run on the I/O thread.
            Route("GET", "/api/v1/auth/me", access: .user, nonBlocking: true) { context in
                .json(200, meBody(context.claims!))
            },
            Route("POST", "/api/v1/auth/register", access: .user) { context in
                let request = try context.decode(RegisterUserRequest.self)
                return try JSONCoding.response(try auth.register(context.callContext, request), status: 201)
            },
            Route("GET", "/api/v1/auth/users", access: .user) { context in
                try JSONCoding.response(try auth.listUsers(context.callContext))
            },
            // Manager+, or the user themself (the Auth module checks which).
            Route("GET", "/api/v1/auth/users/{id}", access: .user) { context in
                try JSONCoding.response(try auth.user(context.callContext, id: context.parameter("id")))
            },
            Route("PATCH", "/api/v1/auth/users/{id}", access: .user) { context in
                let request = try context.decode(UpdateUserRequest.self)
                return try JSONCoding.response(
                    try auth.updateUser(context.callContext, id: context.parameter("id"), request))
            },
        ]
    }

    /// Written by hand: this is the hottest authenticated endpoint.
    static func meBody(_ claims: JWTClaims) -> [UInt8] {
        var out = "{\"id\":"
        JSONText.appendString(claims.subject, to: &out)
        out += ",\"role\":"
        JSONText.appendString(claims.role, to: &out)
        out += ",\"tenant_id\":"
        JSONText.appendString(claims.tenant, to: &out)
        out += ",\"token_expires_at\":\(claims.expiresAt),\"username\":"
        JSONText.appendString(claims.username, to: &out)
        out += "}"
        return Array(out.utf8)
    }
}
