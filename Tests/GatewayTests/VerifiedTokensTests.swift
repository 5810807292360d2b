@testable import Gateway
import Security
import Testing

/// The gateway's cache of verified user tokens: it saves the signature
/// check, never the checks that make a token acceptable.
@Suite struct VerifiedTokensTests {
    let signer = JWTSigner(secret: Array("verified-tokens-tests-secret-32b".utf8))
    let now = 1_800_000_000

    func token(expiresIn seconds: Int = 900, subject: String = "user-1") -> String {
        signer.sign(
            JWTClaims(
                subject: subject, tenant: "demo-bistro", role: "manager", username: "ada", issuedAt: now,
                expiresAt: now + seconds))
    }

    @Test func aVerifiedTokenIsAnsweredFromTheCacheWithTheSameClaims() throws {
        let tokens = VerifiedTokens(signer: signer)
        let text = token()
        let first = try tokens.claims(of: text, now: now)
        #expect(tokens.count == 1)
        let again = try tokens.claims(of: text, now: now + 60)
        #expect(again == first && again.subject == "user-1")
        #expect(tokens.count == 1)
    }

    @Test func aCachedTokenIsRefusedOnceItExpires() throws {
        let tokens = VerifiedTokens(signer: signer)
        let text = token(expiresIn: 60)
        _ = try tokens.claims(of: text, now: now)
        // Within the leeway it is still good; past it, expired, as the signer says.
        _ = try tokens.claims(of: text, now: now + 60 + VerifiedTokens.leeway)
        #expect(throws: JWTError.expired) { try tokens.claims(of: text, now: now + 61 + VerifiedTokens.leeway) }
        #expect(tokens.count == 0, "the expired token left the cache")
    }

    @Test func aForgedTokenIsRefusedEveryTimeAndNeverKept() throws {
        let tokens = VerifiedTokens(signer: signer)
        let genuine = token()
        // The same claims signed with another key, and one signature byte changed.
        let forged = JWTSigner(secret: Array("another-secret-of-thirty-two-byt".utf8)).sign(
            JWTClaims(subject: "user-1", tenant: "demo-bistro", role: "manager", username: "ada", issuedAt: now, expiresAt: now + 900))
        var tampered = Array(genuine.utf8)
        tampered[tampered.count - 2] = tampered[tampered.count - 2] == 0x41 ? 0x42 : 0x41
        _ = try tokens.claims(of: genuine, now: now)
        for _ in 0..<2 {
            #expect(throws: JWTError.badSignature) { try tokens.claims(of: forged, now: now) }
            #expect(throws: (any Error).self) { try tokens.claims(of: String(decoding: tampered, as: UTF8.self), now: now) }
        }
        #expect(tokens.count == 1, "only the genuine token is kept")
    }

    @Test func theCacheStaysBoundedUnderAFloodOfValidTokens() throws {
        let tokens = VerifiedTokens(signer: signer)
        for index in 0..<(VerifiedTokens.capacity + 10) {
            _ = try tokens.claims(of: token(subject: "user-\(index)"), now: now)
        }
        #expect(tokens.count <= VerifiedTokens.capacity)
        #expect(tokens.count >= 1)
    }
}
