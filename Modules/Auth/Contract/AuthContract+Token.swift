import Contract
import Foundation

extension AuthContract {
    /// What a login's access token says, read without its key: the contract
    /// checks what a token claims; the gateway's edge, which holds the key,
    /// checks that it is genuine.
    struct TokenClaims: Decodable {
        var sub: String
        var tenant: String
        var role: String
        var username: String
        var iat: Int
        var exp: Int
    }

    struct TokenHeader: Decodable {
        var alg: String
    }

    /// The header and claims of a compact JWT, or a failure saying why it is not one.
    static func claims(of token: String) throws -> TokenClaims {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        try Expect.equal(segments.count, 3, "segments of the access token")
        let header = try decode(TokenHeader.self, segments[0], "the token's header")
        try Expect.equal(header.alg, "HS256", "the token's algorithm")
        try Expect.that(!segments[2].isEmpty, "the token is signed")
        return try decode(TokenClaims.self, segments[1], "the token's claims")
    }

    private static func decode<Value: Decodable>(_ type: Value.Type, _ segment: Substring, _ what: String) throws -> Value {
        var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let data = try Expect.some(Data(base64Encoded: base64), "\(what) as base64url")
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw ContractFailure("\(what): not the expected JSON (\(error))")
        }
    }
}
