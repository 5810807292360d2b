/// Why a token was refused. Callers answer all of them with 401; the case
/// is for logs and tests.
public enum JWTError: Error, Sendable, Equatable {
    /// Not three canonical base64url segments of flat JSON, or a claim of the wrong type.
    case malformed
    /// The header's `alg` is anything but exactly `HS256` (including `none`).
    case unsupportedAlgorithm
    /// The MAC does not match: another secret, or altered bytes.
    case badSignature
    /// `exp` (plus leeway) is in the past.
    case expired
    /// `nbf` (minus leeway) is in the future.
    case notYetValid
    /// `tenant` absent or empty.
    case missingTenant
    /// `aud` differs from the audience asked for, or is present when none was.
    case wrongAudience
    /// A required claim (`sub`, `role`, `iss`, `exp`) is absent.
    case missingClaim(String)
}
