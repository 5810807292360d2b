// The service token without a socket: what it is bound to and how long it lives.
import Facade
import Foundation
import Platform
import Security
import Testing

@Suite("Service tokens")
struct ServiceTokenTests {
    let issuer = ServiceTokenIssuer(secret: EchoService.secret)
    let verifier = ServiceTokenVerifier(secret: EchoService.secret, module: "payments")
    let now = 1_900_000_000
    let charge = Array(#"{"amount_cents":1250,"currency":"EUR"}"#.utf8)

    private func token(_ operation: String = "payments.charge", body: [UInt8]? = nil, at time: Int? = nil) -> String {
        issuer.token(
            module: "payments", operation: operation, body: body ?? charge, context: Fixtures.context(),
            now: time ?? now)
    }

    private func refusal(
        _ token: String, operation: String = "payments.charge", body: [UInt8]? = nil, at time: Int? = nil
    ) -> ServiceTokenError? {
        do {
            _ = try verifier.verify(token, tenant: "demo-bistro", operation: operation, body: body ?? charge, now: time ?? now)
            return nil
        } catch {
            return error
        }
    }

    @Test func aTokenIsGoodForItsOwnCall() throws {
        let claims = try verifier.verify(token(), tenant: "demo-bistro", operation: "payments.charge", body: charge, now: now)
        #expect(claims.operation == "payments.charge")
        #expect(claims.bodySHA256 == Base64URL.encode(Digest.sha256(charge)))
        #expect(claims.audience == "payments")
        #expect(claims.expiresAt - claims.issuedAt == 10)
    }

    @Test func aTokenForOneOperationIsRefusedOnAnother() {
        #expect(refusal(token("payments.refund"), operation: "payments.charge") == .wrongOperation)
        #expect(ServiceTokenError.wrongOperation.problem.status == 401)
        #expect(ServiceTokenError.wrongOperation.problem.code == "token_wrong_operation")
    }

    @Test(arguments: [
        #"{"amount_cents":999999,"currency":"EUR"}"#,  // another amount
        #"{"amount_cents":1250,"currency":"EUR"} "#,  // one byte more
        "",
    ])
    func aTokenForOneBodyIsRefusedWithAnother(other: String) {
        #expect(refusal(token(), body: Array(other.utf8)) == .bodyMismatch)
        #expect(ServiceTokenError.bodyMismatch.problem.status == 401)
        #expect(ServiceTokenError.bodyMismatch.problem.code == "token_body_mismatch")
    }

    @Test func anEmptyBodyIsBoundToo() {
        let empty = token(body: [])
        #expect(refusal(empty, body: []) == nil)
        #expect(refusal(empty, body: Array("{}".utf8)) == .bodyMismatch)
    }

    @Test func aTokenLivesTenSecondsAndNotOneMore() {
        let issued = token(at: now)
        #expect(refusal(issued, at: now + 10) == nil)
        #expect(refusal(issued, at: now + 11) == .expired)
        #expect(refusal(issued, at: now + 60) == .expired)
    }

    @Test func aShorterLifetimeIsKept() {
        let quick = ServiceTokenIssuer(secret: EchoService.secret, lifetime: 2)
            .token(module: "payments", operation: "payments.charge", body: charge, context: Fixtures.context(), now: now)
        #expect(refusal(quick, at: now + 2) == nil)
        #expect(refusal(quick, at: now + 3) == .expired)
    }

    @Test func tenantAndAudienceStillCount() {
        #expect(throws: ServiceTokenError.tenantMismatch) {
            try verifier.verify(token(), tenant: "other-cafe", operation: "payments.charge", body: charge, now: now)
        }
        let inventory = ServiceTokenVerifier(secret: EchoService.secret, module: "inventory")
        #expect(throws: ServiceTokenError.wrongAudience) {
            try inventory.verify(token(), tenant: "demo-bistro", operation: "payments.charge", body: charge, now: now)
        }
    }
}
