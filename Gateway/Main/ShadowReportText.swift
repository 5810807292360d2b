import FlagsControl
import Foundation
import Gateway
import Platform

/// `banyan flags shadow-report` as text: per module, operation and tenant,
/// what the shadow comparisons found (`GET /admin/shadow`), then the last
/// answers that differed, each difference as `path: in-process ≠ service`.
struct ShadowReportText: CustomStringConvertible {
    let report: ShadowRoutes.Report

    init(_ report: ShadowRoutes.Report) {
        self.report = report
    }

    /// What the command prints: the gateway's report as text, or as it came (`--json`).
    static func fetch(
        _ client: AdminClient, module: String?, tenant: String?, json: Bool
    ) throws(AdminClient.Failure) -> String {
        var query: [String] = []
        if let module { query.append("module=\(percentEncoded(module))") }
        if let tenant { query.append("tenant=\(percentEncoded(tenant))") }
        let path = "/admin/shadow" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        if json { return String(decoding: try client.getRaw(path), as: UTF8.self) }
        return ShadowReportText(try client.get(path, as: ShadowRoutes.Report.self)).description
    }

    var description: String {
        var lines = ["Shadow rate \(report.rate), \(report.pending) shadow call\(report.pending == 1 ? "" : "s") waiting."]
        guard !report.byModule.isEmpty else {
            lines.append("No shadowed read yet.")
            return lines.joined(separator: "\n")
        }
        var rows = [["MODULE", "OPERATION", "TENANT", "COMPARED", "MATCHES", "DIFFS", "ERRORS", "DROPPED"]]
        func cells(_ counts: ShadowRoutes.Counts) -> [String] {
            [counts.comparisons, counts.matches, counts.diffs, counts.errors, counts.dropped].map(String.init)
        }
        for operation in report.byModule {
            for tenant in operation.tenants {
                rows.append([operation.module, operation.operation, tenant.tenant] + cells(tenant.counts))
            }
        }
        rows.append(["total", "", ""] + cells(report.totals))
        lines += TextTable.lines(rows)
        guard !report.recentDiffs.isEmpty else {
            lines.append("No diff.")
            return lines.joined(separator: "\n")
        }
        lines.append("Recent diffs, oldest first:")
        for diff in report.recentDiffs {
            lines.append(
                "\(diff.at.formatted(.iso8601))  \(diff.operation)  tenant \(diff.tenant)  request \(diff.requestID)")
            for difference in diff.differences {
                lines.append("    \(difference.path.isEmpty ? "(answer)" : difference.path): "
                    + "\(Self.text(difference.inProcess)) ≠ \(Self.text(difference.service))")
            }
            if diff.total > diff.differences.count {
                lines.append("    … and \(diff.total - diff.differences.count) more")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Compact JSON, or `(absent)` for a member or element one answer lacks.
    private static func text(_ value: JSONValue?) -> String {
        guard let value else { return "(absent)" }
        var out = ""
        value.write(to: &out)
        return out
    }

    private static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~:"))) ?? text
    }
}
