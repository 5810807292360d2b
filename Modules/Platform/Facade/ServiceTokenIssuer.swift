import Glibc
import Platform
import Security

/// Signs the short-lived service token a remote module call carries
/// (JWT HS256): audience = the module called, `tenant` = the call's tenant,
/// `sub` = the calling user or `system`, `role` = the caller's role or `none`.
///
/// Tokens are signed per call and live `lifetime` seconds, so one that
/// leaks from a log or a proxy is worthless within a minute.
public struct ServiceTokenIssuer: Sendable {
    private let signer: JWTSigner
    private let lifetime: Int

    /// - Precondition: `secret` has at least `JWTSigner.minimumSecretLength` bytes.
    public init(secret: [UInt8], lifetime: Int = 60) {
        signer = JWTSigner(secret: secret)
        self.lifetime = lifetime
    }

    public func token(module: String, context: CallContext) -> String {
        token(module: module, context: context, now: Int(time(nil)))
    }

    /// `now` in unix seconds, for tests that need a token from another time.
    public func token(module: String, context: CallContext, now: Int) -> String {
        signer.sign(
            JWTClaims(
                subject: context.userID ?? FacadeWire.systemSubject, tenant: context.tenant.value,
                role: context.role?.rawValue ?? FacadeWire.noRole, username: "", issuedAt: now,
                expiresAt: now + lifetime, audience: module))
    }
}
