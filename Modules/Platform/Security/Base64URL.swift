/// Base64url without padding (RFC 4648 §5), as JWTs use it.
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        Base64Codec.url.encode(bytes)
    }

    /// nil for padding, whitespace, characters outside `A-Za-z0-9-_`, an
    /// impossible length, or non-zero unused trailing bits.
    public static func decode(_ text: String) -> [UInt8]? {
        Base64Codec.url.decode(text)
    }
}
