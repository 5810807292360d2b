/// What a Banyan token asserts: who (`subject`, `username`), for which
/// restaurant (`tenant`), with which `role`, and for how long.
///
/// User tokens carry no `audience`; service tokens name the module they may
/// call (`"payments"`), so one kind can never be replayed as the other.
/// Service tokens also name the one operation they may call and the SHA-256
/// of the one request body they were signed for: a token lifted from a
/// log cannot be spent on another operation or another body.
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
    /// `op`: the operation a service token may call (`payments.charge`); nil for user tokens.
    public var operation: String?
    /// `body_sha256`: base64url (unpadded) SHA-256 of the exact request body a
    /// service token was signed for; nil for user tokens.
    public var bodySHA256: String?

    public static let defaultIssuer = "banyan"

    public init(
        subject: String, tenant: String, role: String, username: String,
        issuedAt: Int, expiresAt: Int, audience: String? = nil, issuer: String = JWTClaims.defaultIssuer,
        operation: String? = nil, bodySHA256: String? = nil
    ) {
        self.subject = subject
        self.tenant = tenant
        self.role = role
        self.username = username
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.audience = audience
        self.issuer = issuer
        self.operation = operation
        self.bodySHA256 = bodySHA256
    }
}
