import AuthAPI
import HTTPServer
import Platform
import Security

/// `/api/v1/auth/*`: HTTP in front of the `AuthFacade`.
enum AuthRoutes {
    static func routes(auth: any AuthFacade, throttle: LoginThrottle = LoginThrottle()) -> [Route] {
        let login = RouteGroup("/api/v1/auth", access: .tenant)
        let staff = RouteGroup("/api/v1/auth", access: .user)
        let user = AuthError.userNotFound
        return [
            // A refusal of the throttle is a 429 with Retry-After (`LoginRefusal`).
            login.post(
                "/login", summary: "Log in: a bearer token for one of the restaurant's users", body: LoginRequest.self,
                problems: [
                    AuthError.invalidCredentials, AuthError.userDisabled, LoginRefusal.busy,
                    LoginRefusal.tooManyFailures(retryAfter: 1),
                ]
            ) { context, request in
                // Throttled here, at the edge, wherever Auth runs: a flood
                // is turned away before it costs Auth a password check.
                let call = context.callContext
                return try throttle.attempt(tenant: call.tenant, username: request.username, from: context.request) {
                    try auth.login(call, request)
                }
            },
            // Answered from the verified token alone: no database read, so it
            // never blocks and may run on the I/O thread.
            staff.get("/me", summary: "The caller, as the token says", nonBlocking: true) { context in
                PreEncodedJSON<Caller>(meBody(context.claims!))
            },
            staff.post(
                "/register", summary: "Add a member of staff (admin)", body: RegisterUserRequest.self,
                problems: [AuthError.usernameTaken]
            ) { context, request in
                Created(try auth.register(context.callContext, request))
            },
            staff.get("/users", summary: "The restaurant's staff (manager+)") { context in
                try auth.listUsers(context.callContext)
            },
            // Manager+, or the user themself (the Auth module checks which).
            staff.get("/users/{id}", summary: "One member of staff (manager+, or oneself)", problems: [user]) {
                context in
                try auth.user(context.callContext, id: context.parameter("id"))
            },
            staff.patch(
                "/users/{id}", summary: "Change a role or (de)activate (admin)", body: UpdateUserRequest.self,
                problems: [user, AuthError.selfModification]
            ) { context, request in
                try auth.updateUser(context.callContext, id: context.parameter("id"), request)
            },
        ]
    }

    /// What `GET /api/v1/auth/me` answers; `meBody` writes it.
    struct Caller: Codable {
        var id: String
        var role: Role
        var tenantID: String
        /// Seconds since 1970.
        var tokenExpiresAt: Int
        var username: String

        enum CodingKeys: String, CodingKey {
            case id, role, username
            case tenantID = "tenant_id"
            case tokenExpiresAt = "token_expires_at"
        }
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
