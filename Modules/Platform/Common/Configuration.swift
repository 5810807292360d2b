import Foundation

/// Settings from the process environment, falling back to a `.env` file in
/// the working directory (the environment always wins).
public enum Configuration {
    private static let dotEnv: [String: String] = {
        let path = FileManager.default.currentDirectoryPath + "/.env"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        return parseDotEnv(text)
    }()

    public static func value(_ name: String) -> String? {
        if let raw = getenv(name) { return String(cString: raw) }
        return dotEnv[name]
    }

    public static func int(_ name: String, default fallback: Int) -> Int {
        value(name).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? fallback
    }

    /// `KEY=value` lines; `#` comments, optional `export `, optional quotes.
    public static func parseDotEnv(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line.removeFirst("export ".count) }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            values[key] = value
        }
        return values
    }
}
