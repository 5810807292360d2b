/// The Prometheus text exposition format, version 0.0.4: one `# HELP` and
/// one `# TYPE` line per family, then its samples, label values escaped.
///
/// Families of the same name from several sources (two registries, a
/// collector per pool) are written as one family, their samples together:
/// the format allows a name's `# TYPE` only once.
public enum PrometheusText {
    /// The `Content-Type` of a scrape's answer.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func render(_ families: [CollectedFamily]) -> String {
        var order: [String] = []
        var merged: [String: CollectedFamily] = [:]
        for family in families {
            if merged[family.name] == nil {
                order.append(family.name)
                merged[family.name] = family
            } else {
                merged[family.name]!.samples += family.samples
            }
        }
        var text = ""
        for name in order {
            let family = merged[name]!
            text += "# HELP \(name) \(escapeHelp(family.help))\n"
            text += "# TYPE \(name) \(family.type.rawValue)\n"
            for sample in family.samples {
                text += sample.name
                if !sample.labels.isEmpty {
                    text += "{"
                    text += sample.labels.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }.joined(separator: ",")
                    text += "}"
                }
                text += " \(number(sample.value))\n"
            }
        }
        return text
    }

    /// A label value: backslash, double quote and newline escaped.
    public static func escapeLabelValue(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// A `# HELP` text: backslash and newline escaped (quotes are literal there).
    static func escapeHelp(_ help: String) -> String {
        help.replacingOccurrences("\\", "\\\\").replacingOccurrences("\n", "\\n")
    }

    /// A sample value or bucket bound as Prometheus reads it: integers
    /// without a fraction, `+Inf`, `-Inf`, `NaN`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
