import Foundation
import Gateway
import Platform

/// `banyan flags history` as text: one line per change, then what it moved.
struct FlagsHistoryText: CustomStringConvertible {
    let entries: [FlagRoutes.HistoryEntry]

    init(_ entries: [FlagRoutes.HistoryEntry]) {
        self.entries = entries
    }

    var description: String {
        guard !entries.isEmpty else { return "No recorded change." }
        var lines: [String] = []
        for entry in entries {
            let versions = "\(short(entry.fromVersion)) → \(short(entry.toVersion))"
            lines.append(
                "#\(entry.id)  \(entry.at.formatted(.iso8601))  \(entry.actor) (\(entry.source))  gate \(entry.gate.result)  "
                    + "\(versions)  \(entry.reason ?? "")")
            if let forced = entry.gate.forceReason { lines.append("    forced: \(forced)") }
            for change in entry.changes {
                lines.append("    " + Self.describe(change))
            }
        }
        return lines.joined(separator: "\n")
    }

    private func short(_ version: String?) -> String {
        guard let version else { return "none" }
        return String(version.prefix("sha256:".count + 12))
    }

    /// `payments demo-diner: in-process → service` or `payments default: in-process → service`.
    private static func describe(_ change: JSONValue) -> String {
        guard case .object(let fields) = change else { return "\(change)" }
        func text(_ key: String) -> String? {
            if case .string(let value)? = fields[key] { return value }
            return nil
        }
        let subject = text("tenant") ?? text("setting") ?? "?"
        return "\(text("module") ?? "?") \(subject): \(text("from") ?? "none") → \(text("to") ?? "none")"
    }
}
