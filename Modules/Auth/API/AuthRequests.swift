import Platform
/// `POST /api/v1/auth/login`.
public struct LoginRequest: Codable, Sendable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

/// What a successful login returns: a bearer token and who it is for.
public struct LoginResult: Codable, Sendable {
    public var accessToken: String
    public var tokenType: String
    public var expiresIn: Int
    public var user: User

    public init(accessToken: String, expiresIn: Int, user: User) {
        self.accessToken = accessToken
        self.tokenType = "bearer"
        self.expiresIn = expiresIn
        self.user = user
    }

    enum CodingKeys: String, CodingKey {
        case user
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
    }
}

/// `POST /api/v1/auth/register`: a tenant admin adds a member of staff.
public struct RegisterUserRequest: Codable, Sendable {
    public var username: String
    public var email: String
    public var password: String
    public var role: Role

    public init(username: String, email: String, password: String, role: Role) {
        self.username = username
        self.email = email
        self.password = password
        self.role = role
    }
}

/// `PATCH /api/v1/auth/users/{id}`: change a role or (de)activate.
public struct UpdateUserRequest: Codable, Sendable {
    public var role: Role?
    public var active: Bool?

    public init(role: Role? = nil, active: Bool? = nil) {
        self.role = role
        self.active = active
    }
}

/// `POST /admin/tenants`: an operator opens a restaurant with its first admin.
public struct CreateTenantRequest: Codable, Sendable {
    public struct Admin: Codable, Sendable {
        public var username: String
        public var email: String
        public var password: String

        public init(username: String, email: String, password: String) {
            self.username = username
            self.email = email
            self.password = password
        }
    }

    public var tenantID: String
    public var name: String
    public var admin: Admin

    public init(tenantID: String, name: String, admin: Admin) {
        self.tenantID = tenantID
        self.name = name
        self.admin = admin
    }

    enum CodingKeys: String, CodingKey {
        case name, admin
        case tenantID = "tenant_id"
    }
}
