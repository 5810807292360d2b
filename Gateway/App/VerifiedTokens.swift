import Glibc
import Security
import Synchronization

/// User tokens the gateway has verified, by their exact text, until they
/// expire: a client sends the same token on every request, and checking its
/// signature and parsing its claims each time cost more than a `/health`.
///
/// Only a token whose signature and claims were verified is kept, so
/// arbitrary tokens a client invents never enter (a forged one fails the
/// signature as before, each time). A hit is still refused once the token's
/// `exp` (with the signer's leeway) has passed. Revocation is not cached:
/// `EdgeAuthentication` checks it on every request. The cache is bounded:
/// when full it first drops expired tokens, and if none had expired it
/// starts over, so a flood of valid tokens costs memory once, not forever.
final class VerifiedTokens: Sendable {
    static let capacity = 4_096
    /// The signer's `verify` default: seconds of clock skew tolerated on `exp`.
    static let leeway = 30

    private let signer: JWTSigner
    private let verified = Mutex<[String: JWTClaims]>([:])

    init(signer: JWTSigner) {
        self.signer = signer
    }

    /// The claims of `token`, verified now or earlier; throws as `JWTSigner.verify` does.
    func claims(of token: String, now: Int = Int(time(nil))) throws(JWTError) -> JWTClaims {
        if let claims = verified.withLock({ $0[token] }) {
            let (deadline, overflow) = claims.expiresAt.addingReportingOverflow(Self.leeway)
            guard overflow || now <= deadline else {
                _ = verified.withLock { $0.removeValue(forKey: token) }
                throw .expired
            }
            return claims
        }
        let claims = try signer.verify(token, now: now, leeway: Self.leeway)
        verified.withLock { verified in
            if verified.count >= Self.capacity {
                verified = verified.filter { now <= $0.value.expiresAt.addingReportingOverflow(Self.leeway).partialValue }
                if verified.count >= Self.capacity { verified.removeAll(keepingCapacity: true) }
            }
            verified[token] = claims
        }
        return claims
    }

    var count: Int { verified.withLock { $0.count } }
}
