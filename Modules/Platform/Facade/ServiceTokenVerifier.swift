import Glibc
import Platform
import Security

/// Checks a service token on the service's side: genuine, current, meant
/// for this module, and for the tenant the call names.
public struct ServiceTokenVerifier: Sendable {
    private let signer: JWTSigner
    public let module: String

    /// - Precondition: `secret` has at least `JWTSigner.minimumSecretLength` bytes.
    public init(secret: [UInt8], module: String) {
        signer = JWTSigner(secret: secret)
        self.module = module
    }

    /// The token's claims, or a `ServiceTokenError`: 401 (`invalid`,
    /// `expired`, `wrongAudience`) or 403 (`tenantMismatch`).
    public func verify(_ token: String, tenant: String) throws -> JWTClaims {
        try verify(token, tenant: tenant, now: Int(time(nil)))
    }

    public func verify(_ token: String, tenant: String, now: Int) throws(ServiceTokenError) -> JWTClaims {
        let claims: JWTClaims
        do {
            claims = try signer.verify(token, audience: module, now: now)
        } catch .expired {
            throw .expired
        } catch .wrongAudience {
            throw .wrongAudience
        } catch {
            throw .invalid
        }
        guard claims.tenant == tenant else { throw .tenantMismatch }
        return claims
    }
}
