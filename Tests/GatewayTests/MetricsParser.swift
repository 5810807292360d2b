import BanyanTestSupport
import Foundation

/// A Prometheus text exposition read by a real Prometheus parser, not ours:
/// Python's `prometheus_client` (`text_string_to_metric_families`), pinned
/// and installed by scripts/test, which names its interpreter in
/// `BANYAN_TEST_PYTHON`. A text the parser refuses fails the test.
///
/// As that parser reports them, a counter family's name drops `_total`
/// (`banyan_http_requests`), its samples keep it.
struct MetricsParser {
    struct Family: Decodable {
        var name: String
        var type: String
        var samples: [Sample]
    }

    struct Sample: Decodable {
        var name: String
        var labels: [String: String]
        /// As Python spells it (`inf` for +Inf), read with `Double(_:)`.
        var value: String

        var number: Double? { Double(value) }
    }

    static let script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families
        families = []
        for family in text_string_to_metric_families(open(sys.argv[1], encoding="utf-8").read()):
            families.append({"name": family.name, "type": family.type, "samples": [
                {"name": s.name, "labels": s.labels, "value": repr(float(s.value))} for s in family.samples]})
        json.dump(families, sys.stdout)
        """

    static func parse(_ text: String) throws -> [Family] {
        let python = ProcessInfo.processInfo.environment["BANYAN_TEST_PYTHON"] ?? "python3"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("banyan-metrics-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", script, file.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let failure = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure(
                "prometheus_client refused the exposition (run through ./scripts/test, which installs it): "
                    + String(decoding: failure, as: UTF8.self))
        }
        return try JSONDecoder().decode([Family].self, from: data)
    }
}

extension [MetricsParser.Family] {
    func family(_ name: String) -> MetricsParser.Family? { first { $0.name == name } }

    /// Samples named `name` whose labels include every one of `labels`.
    func samples(_ name: String, _ labels: [String: String] = [:]) -> [MetricsParser.Sample] {
        flatMap(\.samples).filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }
    }
}
