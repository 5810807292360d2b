#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Platform

/// Signs and verifies Banyan's HS256 JSON Web Tokens.
///
/// Only `HS256` is ever accepted, whatever the header says; the signature is
/// checked in constant time before any claim is read; `exp` and `tenant`
/// are required; `aud` must match exactly what the caller asks for, so a
/// service token never passes as a user token and the reverse.
///
///     let signer = JWTSigner(secret: try SecretStore.loadOrCreate(environment: "JWT_SECRET", file: "jwt-secret"))
///     let claims = try signer.verify(bearer)              // user token
///     let call = try signer.verify(token, audience: "payments")  // service token
///
/// `verify` is on every request's path, so it parses with a small strict
/// parser instead of Foundation and MACs with a pre-keyed libcrypto context.
public struct JWTSigner: Sendable {
    /// HS256 keys shorter than the hash output weaken it (RFC 7518 §3.2).
    public static let minimumSecretLength = 32

    /// base64url of `{"alg":"HS256","typ":"JWT"}`, the only header `sign` writes.
    static let encodedHeader = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))

    private let key: HMACKey

    /// - Precondition: `secret` has at least `minimumSecretLength` bytes. A
    ///   short secret is a configuration error that must stop start-up, not
    ///   something to recover from; check `minimumSecretLength` first to
    ///   report it more kindly.
    public init(secret: [UInt8]) {
        precondition(
            secret.count >= JWTSigner.minimumSecretLength,
            "JWT secret must be at least \(JWTSigner.minimumSecretLength) bytes")
        key = HMACKey(secret)
    }

    /// The compact serialization `header.claims.signature`.
    public func sign(_ claims: JWTClaims) -> String {
        var payload = "{\"sub\":"
        payload.reserveCapacity(240)
        JSONText.appendString(claims.subject, to: &payload)
        payload += ",\"tenant\":"
        JSONText.appendString(claims.tenant, to: &payload)
        payload += ",\"role\":"
        JSONText.appendString(claims.role, to: &payload)
        payload += ",\"username\":"
        JSONText.appendString(claims.username, to: &payload)
        payload += ",\"iat\":"
        payload += String(claims.issuedAt)
        payload += ",\"exp\":"
        payload += String(claims.expiresAt)
        if let audience = claims.audience {
            payload += ",\"aud\":"
            JSONText.appendString(audience, to: &payload)
        }
        payload += ",\"iss\":"
        JSONText.appendString(claims.issuer, to: &payload)
        if let operation = claims.operation {
            payload += ",\"op\":"
            JSONText.appendString(operation, to: &payload)
        }
        if let bodySHA256 = claims.bodySHA256 {
            payload += ",\"body_sha256\":"
            JSONText.appendString(bodySHA256, to: &payload)
        }
        payload += "}"

        var token = JWTSigner.encodedHeader
        token.reserveCapacity(token.utf8.count + Base64Codec.encodedLength(payload.utf8.count) + 45)
        token += "."
        payload.withUTF8 { Base64Codec.url.encode(UnsafeRawBufferPointer($0), into: &token) }
        var mac = [UInt8](repeating: 0, count: Digest.sha256Length)
        token.withUTF8 { input in
            mac.withUnsafeMutableBytes { key.authenticate(UnsafeRawBufferPointer(input), into: $0) }
        }
        token += "."
        mac.withUnsafeBytes { Base64Codec.url.encode($0, into: &token) }
        return token
    }

    /// The claims of `token` if it is genuine, current and meant for `audience`.
    ///
    /// - Parameters:
    ///   - audience: nil for user tokens (a token with `aud` is refused), or
    ///     the module a service token must name.
    ///   - now: unix seconds; injectable for tests.
    ///   - leeway: seconds of clock skew tolerated on `exp` and `nbf`.
    public func verify(
        _ token: String, audience: String? = nil, now: Int = Int(time(nil)), leeway: Int = 30
    ) throws(JWTError) -> JWTClaims {
        var token = token
        var result: Result<JWTClaims, JWTError> = .failure(.malformed)
        token.withUTF8 { bytes in
            do throws(JWTError) {
                result = .success(try verify(bytes, audience: audience, now: now, leeway: max(0, leeway)))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    private func verify(
        _ token: UnsafeBufferPointer<UInt8>, audience: String?, now: Int, leeway: Int
    ) throws(JWTError) -> JWTClaims {
        // Exactly three segments.
        var dots: (Int, Int) = (-1, -1)
        for (offset, byte) in token.enumerated() where byte == 0x2E {
            if dots.0 < 0 {
                dots.0 = offset
            } else if dots.1 < 0 {
                dots.1 = offset
            } else {
                throw .malformed
            }
        }
        guard dots.1 > 0 else { throw .malformed }
        let header = UnsafeBufferPointer(rebasing: token[..<dots.0])
        let payload = UnsafeBufferPointer(rebasing: token[(dots.0 + 1)..<dots.1])
        let signature = UnsafeBufferPointer(rebasing: token[(dots.1 + 1)...])

        try checkHeader(header)

        // The signature before any claim is trusted.
        guard let presented = Base64Codec.url.decode(signature) else { throw .malformed }
        guard presented.count == Digest.sha256Length else { throw .badSignature }
        let genuine = withUnsafeTemporaryAllocation(byteCount: Digest.sha256Length, alignment: 1) { expected in
            key.authenticate(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: token[..<dots.1])), into: expected)
            return presented.withUnsafeBytes { ConstantTime.equals(UnsafeRawBufferPointer(expected), $0) }
        }
        guard genuine else { throw .badSignature }

        return try claims(from: try JWTSigner.object(payload), audience: audience, now: now, leeway: leeway)
    }

    /// A header or claims set is one flat object: at most this many members,
    /// no object or array inside.
    private static let jsonLimits = StrictJSON.Limits(maximumDepth: 1, maximumMembers: 64)

    /// The object a base64url segment holds, read strictly: duplicate
    /// members, nested values and numbers that are not integers make the
    /// token malformed (input validation, not cryptography).
    private static func object(_ segment: UnsafeBufferPointer<UInt8>) throws(JWTError) -> StrictJSON.Node {
        guard let json = Base64Codec.url.decode(segment),
            case .object(let members)? = try? StrictJSON.parse(json, limits: jsonLimits),
            !members.contains(where: { if case .number = $0.value { true } else { false } })
        else { throw .malformed }
        return .object(members)
    }

    private func checkHeader(_ header: UnsafeBufferPointer<UInt8>) throws(JWTError) {
        // Our own header, byte for byte: nothing to parse.
        let known = JWTSigner.encodedHeader.utf8
        if header.count == known.count, header.elementsEqual(known) { return }
        let object = try JWTSigner.object(header)
        guard case .string("HS256")? = object["alg"] else { throw .unsupportedAlgorithm }
        // `crit` names extensions we would have to understand; we understand none.
        if object["crit"] != nil { throw .malformed }
        if let type = object["typ"] {
            guard case .string("JWT") = type else { throw .malformed }
        }
    }

    private func claims(
        from object: StrictJSON.Node, audience: String?, now: Int, leeway: Int
    ) throws(JWTError) -> JWTClaims {
        let subject = try requiredString(object, "sub")
        let role = try requiredString(object, "role")
        let issuer = try requiredString(object, "iss")
        guard let expiresAt = try integer(object, "exp") else { throw .missingClaim("exp") }
        let issuedAt = try integer(object, "iat") ?? 0
        let username = try string(object, "username") ?? ""
        let tenant = try string(object, "tenant") ?? ""
        let tokenAudience = try string(object, "aud")
        let operation = try string(object, "op")
        let bodySHA256 = try string(object, "body_sha256")

        // Saturating: an `exp` near Int.max must not wrap into the past.
        let (deadline, overflow) = expiresAt.addingReportingOverflow(leeway)
        if !overflow && now > deadline { throw .expired }
        if let notBefore = try integer(object, "nbf") {
            let (earliest, overflow) = notBefore.subtractingReportingOverflow(leeway)
            if !overflow && now < earliest { throw .notYetValid }
        }
        if tenant.isEmpty { throw .missingTenant }
        guard tokenAudience == audience else { throw .wrongAudience }

        return JWTClaims(
            subject: subject, tenant: tenant, role: role, username: username,
            issuedAt: issuedAt, expiresAt: expiresAt, audience: tokenAudience, issuer: issuer, operation: operation,
            bodySHA256: bodySHA256)
    }

    /// nil when absent or null; `malformed` when not a string.
    private func string(_ object: StrictJSON.Node, _ name: String) throws(JWTError) -> String? {
        switch object[name] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw .malformed
        }
    }

    private func requiredString(_ object: StrictJSON.Node, _ name: String) throws(JWTError) -> String {
        guard let value = try string(object, name), !value.isEmpty else { throw .missingClaim(name) }
        return value
    }

    private func integer(_ object: StrictJSON.Node, _ name: String) throws(JWTError) -> Int? {
        switch object[name] {
        case nil, .null?: return nil
        case .integer(let value)?: return value
        default: throw .malformed
        }
    }
}
