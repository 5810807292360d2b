import Glibc
import Platform
import Security

/// Checks a service token on the service's side: genuine, current, meant
/// for this module, for the tenant the call names, and for this very call —
/// the operation in the path and the exact bytes of the body.
///
/// Service tokens get no clock-skew leeway (user tokens get 30 s): they live
/// `maximumLifetime` seconds, so machines calling each other must keep their
/// clocks in step (NTP); a larger skew shows as `token_expired`.
public struct ServiceTokenVerifier: Sendable {
    /// The longest a service token may live, in seconds, from `iat` to `exp`.
    public static let maximumLifetime = 10

    private let signer: JWTSigner
    public let module: String

    /// - Precondition: `secret` has at least `JWTSigner.minimumSecretLength` bytes.
    public init(secret: [UInt8], module: String) {
        signer = JWTSigner(secret: secret)
        self.module = module
    }

    /// The token's claims when it may call `operation` with `body` for
    /// `tenant`, or a `ServiceTokenError`: 401 (`invalid`, `expired`,
    /// `wrongAudience`, `wrongOperation`, `bodyMismatch`) or 403 (`tenantMismatch`).
    public func verify(_ token: String, tenant: String, operation: String, body: [UInt8]) throws -> JWTClaims {
        try verify(token, tenant: tenant, operation: operation, body: body, now: Int(time(nil)))
    }

    /// `now` in unix seconds, for tests.
    public func verify(
        _ token: String, tenant: String, operation: String, body: [UInt8], now: Int
    ) throws(ServiceTokenError) -> JWTClaims {
        let claims = try authenticate(token, now: now)
        try authorize(claims, tenant: tenant, operation: operation, body: body)
        return claims
    }

    /// The second half of `verify`, for claims `authenticate` returned: the
    /// token was signed for `tenant`, `operation` and exactly `body`.
    public func authorize(
        _ claims: JWTClaims, tenant: String, operation: String, body: [UInt8]
    ) throws(ServiceTokenError) {
        guard claims.tenant == tenant else { throw .tenantMismatch }
        guard claims.operation == operation else { throw .wrongOperation }
        guard claims.bodySHA256 == ServiceTokenIssuer.bodyHash(body) else { throw .bodyMismatch }
    }

    /// Whether `token` is a genuine, current service token for this module,
    /// whatever call it was signed for: the gate in front of every path but
    /// the public probes, before a 404 or 405 says anything about this service.
    public func authenticate(_ token: String, now: Int = Int(time(nil))) throws(ServiceTokenError) -> JWTClaims {
        let claims: JWTClaims
        do {
            claims = try signer.verify(token, audience: module, now: now, leeway: 0)
        } catch .expired {
            throw .expired
        } catch .wrongAudience {
            throw .wrongAudience
        } catch {
            throw .invalid
        }
        // Every service token is signed per call, short-lived and bound; one
        // that is not (a hand-made or older-format token) is refused outright.
        guard claims.issuedAt > 0, claims.expiresAt - claims.issuedAt <= ServiceTokenVerifier.maximumLifetime,
            claims.operation != nil, claims.bodySHA256 != nil
        else { throw .invalid }
        return claims
    }
}
