/// A version of flags.json: the SHA-256 of the file's bytes, in lowercase
/// hex, so every gateway names the same file the same way without a counter
/// to agree on.
public enum FlagsVersion {
    /// 64 lowercase hex digits, as the `ops` tables' CHECKs want.
    public static func isValid(_ version: String) -> Bool {
        version.utf8.count == 64 && version.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
