import Foundation

/// Contract results as JUnit XML, the report format CI systems (GitLab,
/// Jenkins, GitHub Actions reporters, Buildkite) read: one `<testsuite>`
/// per module, one `<testcase>` per contract case, a `<failure>` with the
/// message for each broken one.
///
///     try ContractJUnitReport(suite: "payments", results: results,
///                             properties: [("url", url), ("fingerprint", fingerprint)]).xml
///         .write(toFile: "report.xml", atomically: true, encoding: .utf8)
///
/// Every name, message and property is escaped; characters XML 1.0 cannot
/// carry at all (most control characters) become U+FFFD.
public struct ContractJUnitReport: Sendable {
    public var suite: String
    public var results: [ContractResult]
    /// Shown as `<properties>`: where the provider was, its contract fingerprint.
    public var properties: [(name: String, value: String)]
    public var timestamp: Date

    public init(
        suite: String, results: [ContractResult], properties: [(name: String, value: String)] = [],
        timestamp: Date = Date()
    ) {
        self.suite = suite
        self.results = results
        self.properties = properties
        self.timestamp = timestamp
    }

    public var failures: Int { results.filter { !$0.passed }.count }

    public var xml: String {
        let total = seconds(results.reduce(0) { $0 + $1.seconds })
        let counts = "tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"\(total)\""
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"\(attribute("contract " + suite))\" \(counts)>\n"
        out += "  <testsuite name=\"\(attribute(suite))\" \(counts) timestamp=\"\(stamp)\">\n"
        if !properties.isEmpty {
            out += "    <properties>\n"
            for property in properties {
                out += "      <property name=\"\(attribute(property.name))\" value=\"\(attribute(property.value))\"/>\n"
            }
            out += "    </properties>\n"
        }
        for result in results {
            let opening = "    <testcase classname=\"\(attribute("contract." + suite))\" name=\"\(attribute(result.name))\" time=\"\(seconds(result.seconds))\""
            if let failure = result.failure {
                out += opening + ">\n"
                out += "      <failure message=\"\(attribute(failure))\" type=\"ContractFailure\">\(text(failure))</failure>\n"
                out += "    </testcase>\n"
            } else {
                out += opening + "/>\n"
            }
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// ISO 8601 in UTC without a zone suffix, as the JUnit schema has it.
    private var stamp: String {
        var time = time_t(timestamp.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    private func seconds(_ value: Double) -> String { String(format: "%.3f", value) }

    /// For attribute values in double quotes: line breaks and tabs as
    /// character references, or a parser would fold them into spaces.
    func attribute(_ value: String) -> String { escape(value, inAttribute: true) }

    func text(_ value: String) -> String { escape(value, inAttribute: false) }

    private func escape(_ value: String, inAttribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += inAttribute ? "&quot;" : "\""
            case "'": out += inAttribute ? "&apos;" : "'"
            case "\t": out += inAttribute ? "&#9;" : "\t"
            case "\n": out += inAttribute ? "&#10;" : "\n"
            case "\r": out += "&#13;"
            default:
                // XML 1.0 has no way to carry other C0 controls or U+FFFE/U+FFFF, not even as references.
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out.unicodeScalars.append("\u{FFFD}")
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
