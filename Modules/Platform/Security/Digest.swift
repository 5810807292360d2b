import CCrypto

/// SHA-256 and HMAC-SHA-256 over byte arrays, computed by libcrypto.
public enum Digest {
    public static let sha256Length = 32

    public static func sha256(_ data: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: sha256Length) { output, initialized in
            data.withUnsafeBufferPointer { input in
                _ = SHA256(input.baseAddress, input.count, output.baseAddress)
            }
            initialized = sha256Length
        }
    }

    /// HMAC-SHA-256 of `data` under `key` (any length, including empty).
    ///
    /// For many MACs under one key (JWTs) `JWTSigner` keeps a prepared
    /// context instead, which skips the per-call algorithm lookup.
    public static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        precondition(key.count <= Int(Int32.max), "HMAC key too long")
        return [UInt8](unsafeUninitializedCapacity: sha256Length) { output, initialized in
            var length: UInt32 = 0
            // libcrypto wants a non-null key pointer even for an empty key.
            let keyBytes = key.isEmpty ? [0] : key
            let result = keyBytes.withUnsafeBytes { keyBuffer in
                data.withUnsafeBufferPointer { input in
                    HMAC(
                        EVP_sha256(), keyBuffer.baseAddress, Int32(key.count),
                        input.baseAddress, input.count, output.baseAddress, &length)
                }
            }
            guard result != nil, length == UInt32(sha256Length) else {
                fatalError("HMAC-SHA256 failed in libcrypto")
            }
            initialized = sha256Length
        }
    }
}
