import Auth
import HTTPServer
import Platform
import Security

/// The gateway's walls: the tenant header, the user's token, the ops token.
struct EdgeAuthentication: Sendable {
    let opsToken: [UInt8]
    /// Users disabled or demoted lately, whose older tokens are refused.
    let revocations: RevocationList
    /// Tokens already verified, so a client's next request with the same one skips the signature.
    private let tokens: VerifiedTokens

    init(signer: JWTSigner, opsToken: [UInt8], revocations: RevocationList = RevocationList()) {
        self.opsToken = opsToken
        self.revocations = revocations
        tokens = VerifiedTokens(signer: signer)
    }

    func admit(_ context: inout RequestContext, to access: Route.Access) throws {
        switch access {
        case .anyone:
            return
        case .tenant:
            context.tenant = try tenant(of: context.request)
        case .user:
            let tenant = try tenant(of: context.request)
            let claims = try verifiedClaims(context.request)
            guard claims.tenant == tenant.value else {
                throw Problem.forbidden("tenant_mismatch", "The token belongs to another tenant than x-tenant-id.")
            }
            // In memory: this runs on every request, /auth/me included.
            guard !revocations.isRevoked(user: claims.subject, issuedAt: claims.issuedAt) else {
                throw Problem.unauthorized(
                    "token_revoked", "This user's access changed since the token was issued; log in again.")
            }
            context.tenant = tenant
            context.claims = claims
        case .operator:
            guard let token = bearerToken(context.request) else {
                throw Problem.unauthorized("missing_token", "Send the ops token as Authorization: Bearer.")
            }
            guard ConstantTime.equals(Array(token.utf8), opsToken) else {
                throw Problem.unauthorized("invalid_token", "The ops token is not valid.")
            }
        }
    }

    private func tenant(of request: HTTPRequest) throws -> TenantID {
        guard let header = request.headers["x-tenant-id"], !header.isEmpty else {
            throw Problem.badRequest("missing_tenant", "Every /api/v1 call needs the x-tenant-id header.")
        }
        guard let tenant = TenantID(header) else {
            throw Problem.badRequest("invalid_tenant", "x-tenant-id is not a valid tenant id.")
        }
        return tenant
    }

    private func verifiedClaims(_ request: HTTPRequest) throws -> JWTClaims {
        guard let token = bearerToken(request) else {
            throw Problem.unauthorized("missing_token", "Send a token as Authorization: Bearer <token>.")
        }
        do {
            return try tokens.claims(of: token)
        } catch .expired {
            throw Problem.unauthorized("token_expired", "The token has expired; log in again.")
        } catch {
            throw Problem.unauthorized("invalid_token", "The token is not valid.")
        }
    }

    private func bearerToken(_ request: HTTPRequest) -> String? {
        guard let header = request.headers["authorization"] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        // Spaces and tabs around the token, trimmed by hand: Foundation's
        // `trimmingCharacters` bridges through NSString, a third of this
        // endpoint's cost when every request carries a token.
        var token = parts[1].utf8
        while let first = token.first, first == 0x20 || first == 0x09 { token = token.dropFirst() }
        while let last = token.last, last == 0x20 || last == 0x09 { token = token.dropLast() }
        return token.isEmpty ? nil : String(Substring(token))
    }
}
