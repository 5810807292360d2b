import Bootstrap
import Platform
import Security

/// The key user tokens are signed with and how long they live: what Auth
/// issues at login, wherever it runs, and what every gateway's edge verifies
/// and remembers revocations for. Both sides build theirs from this one value
/// (`AuthModule.tokens`), so they cannot disagree.
package struct UserTokens: Sendable {
    /// Signs at login (Auth) and verifies on every request (the gateway's edge).
    package let signer: JWTSigner
    /// Seconds a token is valid; the revocation feed keeps revocations this long.
    package let lifetime: Int

    package static let defaultLifetime = 3600

    /// The setting holding the signing secret.
    package static let secretVariable = "JWT_SECRET_KEY"

    /// - Precondition: `secret` has at least `JWTSigner.minimumSecretLength` bytes.
    package init(secret: [UInt8], lifetime: Int = UserTokens.defaultLifetime) {
        signer = JWTSigner(secret: secret)
        self.lifetime = lifetime
    }

    /// `JWT_SECRET_KEY` (environment or `.env`), else the state directory's
    /// `jwt-secret`, created on first use: the gateway and every auth-service
    /// of one deployment read the same one. A secret that cannot be read, or
    /// is too short, stops the process at start.
    package static func fromEnvironment() -> UserTokens {
        let secret: [UInt8]
        do {
            secret = try SecretStore.loadOrCreate(environment: secretVariable, file: "jwt-secret")
        } catch {
            Startup.fail("cannot read the JWT secret: \(error)")
        }
        guard secret.count >= JWTSigner.minimumSecretLength else {
            Startup.fail("JWT_SECRET_KEY must be at least \(JWTSigner.minimumSecretLength) bytes long")
        }
        return UserTokens(secret: secret)
    }
}
