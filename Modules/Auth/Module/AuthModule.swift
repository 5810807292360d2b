import Auth
import Bootstrap

/// Auth as the rest of Banyan sees it: its descriptor. The gateway still
/// builds Auth itself, because its edge checks tokens with Auth's own signer
/// and revocation list; making Auth extractable starts there.
package enum AuthModule {
    package static let descriptor: ModuleDescriptor = ModuleDescriptor(name: "auth", schema: AuthSchema.module)
}
