import Flags
import FlagsAudit
import Foundation

/// `GET /admin/flags/applied`: the version the answering gateway routes by,
/// and whether every running gateway routes by it too — what `banyan flags
/// set` polls, bounded by `--wait`, after it writes a new version.
package struct FlagsApplied: Codable, Sendable {
    package struct Instance: Codable, Sendable {
        package let instance: String
        /// The version it routes by; null on the built-in defaults.
        package let version: String?
        package let startedAt: Date
        package let seenAt: Date
        /// Whether it routes by this answer's `version`.
        package let applied: Bool

        private enum CodingKeys: String, CodingKey {
            case instance, version, applied
            case startedAt = "started_at"
            case seenAt = "seen_at"
        }
    }

    /// The flags.json version this gateway routes by; null on the built-in defaults.
    package let version: String?
    /// The gateways running now: a heartbeat within `GatewayInstances.liveWithin` seconds.
    package let instances: [Instance]
    /// Every running gateway routes by `version`.
    package let allApplied: Bool

    private enum CodingKeys: String, CodingKey {
        case version, instances
        case allApplied = "all_applied"
    }

    init(snapshot: FlagsSnapshot, instances: GatewayInstances) throws {
        let version = snapshot.fileVersion?.description
        self.version = version
        self.instances = try instances.running().map {
            Instance(
                instance: $0.instance, version: $0.version, startedAt: $0.startedAt, seenAt: $0.seenAt,
                applied: $0.version == version)
        }
        allApplied = self.instances.allSatisfy(\.applied)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // null, not absent: the defaults have no version, and say so.
        try container.encode(version, forKey: .version)
        try container.encode(instances, forKey: .instances)
        try container.encode(allApplied, forKey: .allApplied)
    }
}
