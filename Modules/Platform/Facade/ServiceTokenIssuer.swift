import Glibc
import Platform
import Security

/// Signs the short-lived service token a remote module call carries
/// (JWT HS256): audience = the module called, `op` = the operation,
/// `body_sha256` = the SHA-256 of the exact request body, `tenant` = the
/// call's tenant, `sub` = the calling user or `system`, `role` = the
/// caller's role or `none`.
///
/// Tokens are signed per call and live at most
/// `ServiceTokenVerifier.maximumLifetime` (10) seconds, and each is good for
/// one operation with one body: one that leaks from a log or a proxy can at
/// most repeat the very call it came with, for a few seconds (idempotency
/// keys make that harmless). The cost per call is one SHA-256 and one HMAC.
public struct ServiceTokenIssuer: Sendable {
    private let signer: JWTSigner
    private let lifetime: Int

    /// - Precondition: `secret` has at least `JWTSigner.minimumSecretLength`
    ///   bytes; `lifetime` is 1...`ServiceTokenVerifier.maximumLifetime` seconds.
    public init(secret: [UInt8], lifetime: Int = ServiceTokenVerifier.maximumLifetime) {
        precondition(
            (1...ServiceTokenVerifier.maximumLifetime).contains(lifetime),
            "a service token lives 1 to \(ServiceTokenVerifier.maximumLifetime) seconds")
        signer = JWTSigner(secret: secret)
        self.lifetime = lifetime
    }

    /// The token for calling `operation` of `module` with exactly `body`.
    public func token(module: String, operation: String, body: [UInt8], context: CallContext) -> String {
        token(module: module, operation: operation, body: body, context: context, now: Int(time(nil)))
    }

    /// `now` in unix seconds, for tests that need a token from another time.
    public func token(module: String, operation: String, body: [UInt8], context: CallContext, now: Int) -> String {
        signer.sign(
            JWTClaims(
                subject: context.userID ?? FacadeWire.systemSubject, tenant: context.tenant.value,
                role: context.role?.rawValue ?? FacadeWire.noRole, username: "", issuedAt: now,
                expiresAt: now + lifetime, audience: module, operation: operation,
                bodySHA256: ServiceTokenIssuer.bodyHash(body)))
    }

    /// The `body_sha256` claim of `body`: base64url of its SHA-256.
    static func bodyHash(_ body: [UInt8]) -> String {
        Base64URL.encode(Digest.sha256(body))
    }
}
