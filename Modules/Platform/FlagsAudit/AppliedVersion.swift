import Foundation

/// The flags.json version a gateway instance applied, and when.
public struct AppliedVersion: Codable, Sendable, Equatable {
    /// SHA-256 of the file's bytes, lowercase hex.
    public var version: String
    public var at: Date

    public init(version: String, at: Date) {
        self.version = version
        self.at = at
    }
}
