import CCrypto

/// An HMAC-SHA256 key prepared once in libcrypto, so each MAC skips the
/// algorithm lookup and key schedule that the one-shot `HMAC()` repeats.
///
/// `@unchecked Sendable` is safe because the keyed context is written only
/// in `init` and `deinit`; every MAC works on a private copy of it
/// (`banyan_hmac_sha256_copy_compute`), and copying only reads the template.
final class HMACKey: @unchecked Sendable {
    private let template: OpaquePointer

    init(_ key: [UInt8]) {
        guard let context = key.withUnsafeBufferPointer({ banyan_hmac_sha256_context_new($0.baseAddress, $0.count) })
        else { fatalError("libcrypto could not prepare an HMAC-SHA256 context") }
        template = context
    }

    deinit {
        EVP_MAC_CTX_free(template)
    }

    /// Writes the 32-byte MAC of `data` to `out`.
    func authenticate(_ data: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= Digest.sha256Length)
        let ok = banyan_hmac_sha256_copy_compute(
            template, data.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count,
            out.baseAddress!.assumingMemoryBound(to: UInt8.self))
        guard ok == 1 else { fatalError("HMAC-SHA256 failed in libcrypto") }
    }

    func authenticate(_ data: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Digest.sha256Length) { out, initialized in
            data.withUnsafeBytes { authenticate($0, into: UnsafeMutableRawBufferPointer(out)) }
            initialized = Digest.sha256Length
        }
    }
}
