import Foundation
import Testing
import Security

@Suite struct JWTSignerTests {
    static let secret = [UInt8](repeating: 0x42, count: 32)
    let signer = JWTSigner(secret: JWTSignerTests.secret)
    let now = 1_750_000_000

    var userClaims: JWTClaims {
        JWTClaims(
            subject: "u-1", tenant: "demo-cafe", role: "manager", username: "alice",
            issuedAt: now, expiresAt: now + 900)
    }

    /// A token with exactly this header and payload text, correctly MACed
    /// under `secret`: lets a test present any JSON that only the parser or
    /// the claim rules can refuse.
    static func forge(header: String, payload: String, secret: [UInt8] = JWTSignerTests.secret) -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        return input + "." + Base64URL.encode(Digest.hmacSHA256(key: secret, data: Array(input.utf8)))
    }

    static let header = #"{"alg":"HS256","typ":"JWT"}"#

    func payload(_ fields: String, exp: Int? = nil) -> String {
        let expiry = exp.map { #","exp":\#($0)"# } ?? ""
        return #"{"sub":"u-1","tenant":"demo-cafe","role":"manager","iss":"banyan""# + expiry + fields + "}"
    }

    func verifyForged(_ payload: String, header: String = JWTSignerTests.header, audience: String? = nil) throws(JWTError) -> JWTClaims {
        try signer.verify(JWTSignerTests.forge(header: header, payload: payload), audience: audience, now: now)
    }

    // MARK: round trips

    @Test func userTokenRoundTrips() throws {
        let token = signer.sign(userClaims)
        #expect(token.split(separator: ".").count == 3)
        #expect(token.hasPrefix("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."))
        #expect(try signer.verify(token, now: now) == userClaims)
    }

    @Test func serviceTokenRoundTripsForItsAudience() throws {
        var claims = userClaims
        claims.audience = "payments"
        let token = signer.sign(claims)
        #expect(try signer.verify(token, audience: "payments", now: now) == claims)
    }

    @Test(arguments: [
        "plain", "quote \" inside", #"back\slash \\ and \n literal"#, "new\nline\ttab\r", "\u{0}\u{1}\u{1F}",
        "ünïcødé ñ 日本語", "emoji 🍜🧾 and 👩🏽‍🍳", "slash / and </script>", "\u{2028}\u{2029}", "", "{\"json\":[1]}",
    ])
    func claimsWithOddCharactersRoundTrip(text: String) throws {
        let claims = JWTClaims(
            subject: "s" + text, tenant: "t" + text, role: "r" + text, username: text,
            issuedAt: -5, expiresAt: now + 60, audience: "a" + text, issuer: "i" + text)
        #expect(try signer.verify(signer.sign(claims), audience: "a" + text, now: now) == claims)
    }

    @Test func escapedJSONIsDecoded() throws {
        let claims = try verifyForged(payload(#","username":"\u0041\u00e9\ud83c\udf5c\/\b\f\"\\""#, exp: now + 60))
        #expect(claims.username == "Aé🍜/\u{8}\u{C}\"\\")
    }

    @Test func whitespaceAndFieldOrderDoNotMatter() throws {
        let text = " {\n \"exp\" : \(now + 60) ,\t\"iss\":\"banyan\", \"role\":\"cook\",\"tenant\":\"t\",\"sub\":\"7\" }\r\n"
        let header = #" { "typ" : "JWT", "kid": "k1", "alg" : "HS256" } "#
        let claims = try verifyForged(text, header: header)
        #expect(claims.role == "cook")
        #expect(claims.username == "")
        #expect(claims.issuedAt == 0)
    }

    // MARK: algorithm

    @Test(arguments: [
        #"{"alg":"none","typ":"JWT"}"#, #"{"alg":"None"}"#, #"{"alg":"NONE"}"#, #"{"alg":"hs256"}"#,
        #"{"alg":"Hs256"}"#, #"{"alg":"HS512"}"#, #"{"alg":"HS384"}"#, #"{"alg":"RS256"}"#, #"{"alg":"ES256"}"#,
        #"{"alg":"HS256 "}"#, #"{"alg":""}"#, #"{"typ":"JWT"}"#, #"{}"#, #"{"alg":null}"#, #"{"alg":256}"#,
        #"{"alg":true}"#,
    ])
    func onlyHS256IsAccepted(header: String) {
        // Correctly MACed: only the algorithm rule can refuse it.
        #expect(throws: JWTError.unsupportedAlgorithm) { try verifyForged(payload("", exp: now + 60), header: header) }
    }

    @Test func unsignedNoneTokenIsRefused() {
        let input = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "."
            + Base64URL.encode(Array(payload("", exp: now + 60).utf8))
        #expect(throws: JWTError.unsupportedAlgorithm) { try signer.verify(input + ".", now: now) }
    }

    @Test(arguments: [#"{"alg":"HS256","crit":["exp"]}"#, #"{"alg":"HS256","crit":"x"}"#, #"{"alg":"HS256","typ":"JWE"}"#])
    func unknownHeaderExtensionsAreRefused(header: String) {
        #expect(throws: JWTError.malformed) { try verifyForged(payload("", exp: now + 60), header: header) }
    }

    // MARK: shape

    @Test func tokensNeedExactlyThreeSegments() {
        let token = signer.sign(userClaims)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for bad in [
            "", ".", "..", "...", parts[0], parts[0] + "." + parts[1], token + ".", token + "." + parts[2],
            "." + token, parts[0] + ".." + parts[1] + "." + parts[2],
        ] {
            #expect(throws: JWTError.malformed, "\(bad)") { try signer.verify(bad, now: now) }
        }
    }

    @Test func segmentsMustBeStrictBase64URL() {
        let token = signer.sign(userClaims)
        let parts = token.split(separator: ".").map(String.init)
        let variants = [
            token + "=",
            parts[0] + "=." + parts[1] + "." + parts[2],
            parts[0] + "." + parts[1] + "." + parts[2].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "+",
            " " + token,
            token + "\n",
        ]
        for bad in variants {
            #expect(throws: JWTError.malformed, "\(bad)") { try signer.verify(bad, now: now) }
        }
    }

    @Test func signatureWithNonZeroTrailingBitsIsRefused() {
        let token = signer.sign(userClaims)
        // 32 bytes encode as 43 characters whose last carries 2 unused bits.
        let last = token.last!
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let value = alphabet.firstIndex(of: last)!
        #expect(value & 3 == 0)
        let alias = String(token.dropLast()) + String(alphabet[value | 1])
        #expect(throws: JWTError.malformed) { try signer.verify(alias, now: now) }
    }

    // MARK: signature

    @Test func tokenFromAnotherSecretIsRefused() {
        let other = JWTSigner(secret: [UInt8](repeating: 0x43, count: 32))
        #expect(throws: JWTError.badSignature) { try signer.verify(other.sign(userClaims), now: now) }
    }

    @Test func tamperedPayloadIsRefused() {
        let token = signer.sign(userClaims)
        let parts = token.split(separator: ".").map(String.init)
        var claims = userClaims
        claims.tenant = "other-cafe"
        let swapped = signer.sign(claims).split(separator: ".").map(String.init)[1]
        #expect(throws: JWTError.badSignature) { try signer.verify(parts[0] + "." + swapped + "." + parts[2], now: now) }
    }

    @Test func tamperedHeaderIsRefused() {
        let token = signer.sign(userClaims)
        let parts = token.split(separator: ".").map(String.init)
        let header = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT","kid":"x"}"#.utf8))
        #expect(throws: JWTError.badSignature) { try signer.verify(header + "." + parts[1] + "." + parts[2], now: now) }
    }

    @Test func truncatedOrEmptySignatureIsRefused() {
        let token = signer.sign(userClaims)
        let parts = token.split(separator: ".").map(String.init)
        #expect(throws: JWTError.badSignature) { try signer.verify(parts[0] + "." + parts[1] + ".", now: now) }
        let short = Base64URL.encode(Array(Base64URL.decode(parts[2])!.prefix(31)))
        #expect(throws: JWTError.badSignature) { try signer.verify(parts[0] + "." + parts[1] + "." + short, now: now) }
        // 44 characters: 33 bytes, canonical but one too many.
        #expect(throws: JWTError.badSignature) { try signer.verify(token + "A", now: now) }
    }

    @Test func everySignatureByteMatters() {
        let token = signer.sign(userClaims)
        let parts = token.split(separator: ".").map(String.init)
        let mac = Base64URL.decode(parts[2])!
        for index in mac.indices {
            var flipped = mac
            flipped[index] ^= 0x01
            let bad = parts[0] + "." + parts[1] + "." + Base64URL.encode(flipped)
            #expect(throws: JWTError.badSignature) { try signer.verify(bad, now: now) }
        }
    }

    @Test func signatureIsCheckedBeforeAnyClaim() {
        let other = [UInt8](repeating: 0x99, count: 32)
        let expired = JWTSignerTests.forge(header: JWTSignerTests.header, payload: payload("", exp: now - 3600), secret: other)
        #expect(throws: JWTError.badSignature) { try signer.verify(expired, now: now) }
        let garbage = JWTSignerTests.forge(header: JWTSignerTests.header, payload: "not json", secret: other)
        #expect(throws: JWTError.badSignature) { try signer.verify(garbage, now: now) }
        let noTenant = JWTSignerTests.forge(header: JWTSignerTests.header, payload: #"{"exp":1}"#, secret: other)
        #expect(throws: JWTError.badSignature) { try signer.verify(noTenant, now: now) }
    }

    // MARK: time

    @Test func expiryHonoursLeeway() throws {
        var claims = userClaims
        claims.expiresAt = now - 10
        let token = signer.sign(claims)
        #expect(try signer.verify(token, now: now, leeway: 30) == claims)
        #expect(throws: JWTError.expired) { try signer.verify(token, now: now, leeway: 5) }
        #expect(throws: JWTError.expired) { try signer.verify(token, now: now + 21) }
        #expect(try signer.verify(token, now: now + 20) == claims)
    }

    @Test func defaultClockIsTheCurrentTime() throws {
        let current = Int(Date().timeIntervalSince1970)
        var claims = userClaims
        claims.expiresAt = current + 60
        #expect(try signer.verify(signer.sign(claims)) == claims)
        claims.expiresAt = current - 120
        #expect(throws: JWTError.expired) { try signer.verify(signer.sign(claims)) }
    }

    @Test func expIsRequiredAndAnInteger() {
        #expect(throws: JWTError.missingClaim("exp")) { try verifyForged(payload("")) }
        #expect(throws: JWTError.missingClaim("exp")) { try verifyForged(payload(#","exp":null"#)) }
        #expect(throws: JWTError.malformed) { try verifyForged(payload(#","exp":"\#(now + 60)""#)) }
        #expect(throws: JWTError.malformed) { try verifyForged(payload(#","exp":\#(now + 60).5"#)) }
        #expect(throws: JWTError.malformed) { try verifyForged(payload(#","exp":1e12"#)) }
        #expect(throws: JWTError.malformed) { try verifyForged(payload(#","exp":99999999999999999999"#)) }
    }

    @Test func farFutureExpiryDoesNotWrapAround() throws {
        let claims = try verifyForged(payload("", exp: Int.max))
        #expect(claims.expiresAt == Int.max)
    }

    @Test func notBeforeHonoursLeeway() throws {
        #expect(throws: JWTError.notYetValid) { try verifyForged(payload(#","nbf":\#(now + 31)"#, exp: now + 900)) }
        _ = try verifyForged(payload(#","nbf":\#(now + 30)"#, exp: now + 900))
        _ = try verifyForged(payload(#","nbf":\#(now - 100)"#, exp: now + 900))
        #expect(throws: JWTError.malformed) { try verifyForged(payload(#","nbf":"soon""#, exp: now + 900)) }
    }

    // MARK: claims

    @Test func tenantIsRequiredAndNonEmpty() {
        let base = #"{"sub":"u","role":"r","iss":"banyan","exp":\#(now + 60)"#
        #expect(throws: JWTError.missingTenant) { try verifyForged(base + "}") }
        #expect(throws: JWTError.missingTenant) { try verifyForged(base + #","tenant":""}"#) }
        #expect(throws: JWTError.missingTenant) { try verifyForged(base + #","tenant":null}"#) }
        #expect(throws: JWTError.malformed) { try verifyForged(base + #","tenant":7}"#) }
        var claims = userClaims
        claims.tenant = ""
        #expect(throws: JWTError.missingTenant) { try signer.verify(signer.sign(claims), now: now) }
    }

    @Test(arguments: ["sub", "role", "iss"])
    func requiredClaimsMustBePresent(name: String) {
        var fields = ["sub": #""u""#, "role": #""r""#, "iss": #""banyan""#, "tenant": #""t""#, "exp": "\(now + 60)"]
        fields[name] = nil
        let text = "{" + fields.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
        #expect(throws: JWTError.missingClaim(name)) { try verifyForged(text) }
        fields[name] = #""""#
        let empty = "{" + fields.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
        #expect(throws: JWTError.missingClaim(name)) { try verifyForged(empty) }
        fields[name] = "true"
        let wrongType = "{" + fields.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
        #expect(throws: JWTError.malformed) { try verifyForged(wrongType) }
    }

    @Test func userVerificationRefusesServiceTokens() {
        var claims = userClaims
        claims.audience = "payments"
        #expect(throws: JWTError.wrongAudience) { try signer.verify(signer.sign(claims), now: now) }
    }

    @Test func serviceVerificationRefusesUserTokensAndOtherAudiences() {
        #expect(throws: JWTError.wrongAudience) { try signer.verify(signer.sign(userClaims), audience: "payments", now: now) }
        var claims = userClaims
        claims.audience = "orders"
        #expect(throws: JWTError.wrongAudience) { try signer.verify(signer.sign(claims), audience: "payments", now: now) }
        claims.audience = "Payments"
        #expect(throws: JWTError.wrongAudience) { try signer.verify(signer.sign(claims), audience: "payments", now: now) }
        #expect(throws: JWTError.malformed) { try verifyForged(payload(#","aud":["payments"]"#, exp: now + 60), audience: "payments") }
    }

    // MARK: strict JSON

    @Test(arguments: [
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,"x":{"a":1}}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,"x":[1]}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,"x":1.5}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,"x":-0.0}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,"x":01}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,"x":+1}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,"x":-}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,"x":tru}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,"x":True}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,"x":'s'}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,"x":"\x"}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,"x":"\u12"}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,"x":"\ud800"}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,"x":"\udc00\ud800"}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,"x":"unterminated}"#,
        "{\"sub\":\"u\",\"tenant\":\"t\",\"role\":\"r\",\"iss\":\"banyan\",\"exp\":EXP,\"x\":\"raw\ncontrol\"}",
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP}x"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP}{}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP"#,
        #"{"sub":"u","tenant":"evil","tenant":"t","role":"r","iss":"banyan","exp":EXP}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP,x:1}"#,
        #"{"sub":"u","tenant":"t","role":"r","iss":"banyan","exp":EXP "x":1}"#,
        #"["sub","u"]"#,
        #""text""#,
        "",
        "null",
    ])
    func payloadMustBeStrictFlatJSON(template: String) {
        let text = template.replacingOccurrences(of: "EXP", with: String(now + 60))
        #expect(throws: JWTError.malformed) { try verifyForged(text) }
    }

    @Test func payloadMustBeValidUTF8() {
        var bytes = Array(payload(#","username":"ab""#, exp: now + 60).utf8)
        let index = bytes.firstIndex(of: UInt8(ascii: "b"))!
        bytes[index] = 0xC3  // a lead byte whose continuation is the closing quote
        let input = Base64URL.encode(Array(JWTSignerTests.header.utf8)) + "." + Base64URL.encode(bytes)
        let token = input + "." + Base64URL.encode(Digest.hmacSHA256(key: JWTSignerTests.secret, data: Array(input.utf8)))
        #expect(throws: JWTError.malformed) { try signer.verify(token, now: now) }
    }

    @Test func tooManyFieldsAreRefused() {
        let many = (0..<100).map { #""f\#($0)":\#($0)"# }.joined(separator: ",")
        #expect(throws: JWTError.malformed) { try verifyForged(payload("," + many, exp: now + 60)) }
        let some = (0..<20).map { #""f\#($0)":\#($0)"# }.joined(separator: ",")
        #expect(throws: Never.self) { try verifyForged(payload("," + some, exp: now + 60)) }
    }

    // MARK: threads

    @Test func oneSignerServesManyThreadsAtOnce() {
        let signer = self.signer, now = self.now
        let tokens = (0..<8).map { index in
            var claims = userClaims
            claims.subject = "u-\(index)"
            return signer.sign(claims)
        }
        let forged = JWTSigner(secret: [UInt8](repeating: 7, count: 32)).sign(userClaims)
        let mistakes = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for _ in 0..<2_000 {
                if (try? signer.verify(tokens[worker], now: now))?.subject != "u-\(worker)" { mistakes.increment() }
                if (try? signer.verify(forged, now: now)) != nil { mistakes.increment() }
            }
        }
        #expect(mistakes.value == 0)
    }

    /// Counts from several threads; the lock makes that safe.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func increment() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    // MARK: secret length

    @Test func shortSecretsStopTheProcess() async {
        await #expect(processExitsWith: .failure) {
            _ = JWTSigner(secret: [UInt8](repeating: 1, count: 31))
        }
    }
}
