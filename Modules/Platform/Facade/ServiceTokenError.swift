import Platform

/// Why a service refused a call's service token: 401 when the token is
/// missing, forged, expired, meant for another module, another operation or
/// another body; 403 when it is genuine but for another tenant than
/// `x-tenant-id`.
/// Compare with the static members; equality is by kind.
public struct ServiceTokenError: Error, Sendable, Equatable, ProblemConvertible {
    private enum Kind: Sendable {
        case missing, invalid, expired, wrongAudience, wrongOperation, bodyMismatch, tenantMismatch, contextMismatch
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// No `Authorization: Bearer` header.
    public static let missing = ServiceTokenError(.missing)
    /// Malformed, another secret, another algorithm, or a user token.
    public static let invalid = ServiceTokenError(.invalid)
    public static let expired = ServiceTokenError(.expired)
    /// Signed for another module: a token for inventory must not pay.
    public static let wrongAudience = ServiceTokenError(.wrongAudience)
    /// Signed for another operation than the one in the path.
    public static let wrongOperation = ServiceTokenError(.wrongOperation)
    /// Signed for another request body than the one sent.
    public static let bodyMismatch = ServiceTokenError(.bodyMismatch)
    /// Signed for another tenant than the call names.
    public static let tenantMismatch = ServiceTokenError(.tenantMismatch)
    /// The user or role headers differ from what the token was signed for.
    public static let contextMismatch = ServiceTokenError(.contextMismatch)

    public var problem: Problem {
        switch kind {
        case .missing:
            .unauthorized("missing_token", "Send a service token as Authorization: Bearer <token>.")
        case .invalid:
            .unauthorized("invalid_token", "The service token is not valid.")
        case .expired:
            .unauthorized("token_expired", "The service token has expired.")
        case .wrongAudience:
            .unauthorized("invalid_token", "The service token is for another module.")
        case .wrongOperation:
            .unauthorized("token_wrong_operation", "The service token was signed for another operation.")
        case .bodyMismatch:
            .unauthorized("token_body_mismatch", "The service token was signed for another request body.")
        case .tenantMismatch:
            .forbidden("tenant_mismatch", "The service token belongs to another tenant than x-tenant-id.")
        case .contextMismatch:
            .forbidden("context_mismatch", "x-user-id or x-role differ from the service token.")
        }
    }
}
