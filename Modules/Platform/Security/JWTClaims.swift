/// What a Banyan token asserts: who (`subject`, `username`), for which
/// restaurant (`tenant`), with which `role`, and for how long.
///
/// User tokens carry no `audience`; service tokens name the module they may
/// call (`"payments"`), so one kind can never be replayed as the other.
public struct JWTClaims: Sendable, Equatable {
    /// `sub`: the user id, or the calling module for service tokens.
    public var subject: String
    /// `tenant`: required and non-empty.
    public var tenant: String
    /// `role`
    public var role: String
    /// `username`; empty when the token carried none.
    public var username: String
    /// `iat`, unix seconds; 0 when the token carried none.
    public var issuedAt: Int
    /// `exp`, unix seconds; required.
    public var expiresAt: Int
    /// `aud`: nil for user tokens, a module name for service tokens.
    public var audience: String?
    /// `iss`
    public var issuer: String

    public static let defaultIssuer = "banyan"

    public init(
        subject: String, tenant: String, role: String, username: String,
        issuedAt: Int, expiresAt: Int, audience: String? = nil, issuer: String = JWTClaims.defaultIssuer
    ) {
        self.subject = subject
        self.tenant = tenant
        self.role = role
        self.username = username
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.audience = audience
        self.issuer = issuer
    }
}
