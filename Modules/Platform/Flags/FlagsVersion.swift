import Security

/// The version of a flags file: `sha256:` and the lower-case hex SHA-256 of
/// its exact bytes, so two processes (or the CLI and the gateway) agree on it
/// without sharing anything but the file.
///
/// What `GET /admin/flags` returns as `version` and, quoted, as its `ETag`;
/// what `If-Match` and `FlagsFileWriter.replace(…expectedVersion:)` compare.
/// The prefix names the algorithm so a later change of hash cannot be
/// mistaken for a changed file.
public struct FlagsVersion: Hashable, Sendable, Codable, CustomStringConvertible {
    public static let prefix = "sha256:"

    /// `sha256:` and 64 lower-case hex digits.
    public let description: String

    public init(of bytes: [UInt8]) {
        description = Self.prefix + Hex.encode(Digest.sha256(bytes))
    }

    /// Reads a version as written by `description` or as an entity tag
    /// (`"sha256:…"`, optionally weak, `W/"…"`): what a client sends in
    /// `If-Match`. Nil for anything else, including upper-case hex.
    public init?(_ text: String) {
        var text = Substring(text)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = text.dropFirst().dropLast() }
        guard text.hasPrefix(Self.prefix) else { return nil }
        let hex = text.dropFirst(Self.prefix.count)
        guard hex.utf8.count == 2 * Digest.sha256Length,
            hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        description = String(text)
    }

    /// The strong entity tag: the version in double quotes.
    /// Whether `text` is a version exactly as `description` writes it (no
    /// quotes, no weak marker): what the audit trail stores.
    public static func isExact(_ text: String) -> Bool {
        FlagsVersion(text)?.description == text
    }

    public var etag: String { "\"\(description)\"" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let version = FlagsVersion(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a flags version (sha256:<64 hex>)"))
        }
        self = version
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
