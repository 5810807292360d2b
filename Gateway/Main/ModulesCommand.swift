import FlagsControl
import Foundation
import Gateway

/// `banyan modules [--gateway URL] [--json] [--hour]`: the running gateway's
/// module signals (`GET /admin/modules`) as a table, the busiest consumer of
/// CPU first — which module should leave the monolith, and why. `--hour`
/// shows the last hour instead of the last minute; `--json` prints the
/// gateway's answer as it came (both windows). Exit 1 with one line when the
/// gateway cannot be asked or refuses, 2 on a usage error.
enum ModulesCommand {
    static let usage = """
        usage: banyan modules [--gateway URL] [--json] [--hour]
          Each module's calls per minute, CPU and database milliseconds per call, p50/p99
          latency and error rate in the running gateway, over the last minute (--hour: the
          last hour), the most CPU per minute first.
          --gateway URL  default BANYAN_GATEWAY_URL, else http://127.0.0.1:$BANYAN_PORT (port 8000);
                         the ops token from BANYAN_OPS_TOKEN, else the gateway's state directory
          --json         the gateway's answer as JSON, both windows
        """

    struct Options: Equatable {
        var gateway: String?
        var json = false
        var hour = false
    }

    /// The options, or the usage error to print.
    static func parse(_ arguments: [String]) -> Result<Options, UsageError> {
        var options = Options()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--json": options.json = true
            case "--hour": options.hour = true
            case "--gateway":
                guard let url = rest.popFirst(), !url.hasPrefix("--") else {
                    return .failure(UsageError(message: "--gateway needs a URL"))
                }
                options.gateway = url
            default:
                return .failure(UsageError(message: "unknown argument \(argument)"))
            }
        }
        return .success(options)
    }

    struct UsageError: Error {
        let message: String
    }

    static func run(_ arguments: [String]) -> Never {
        let options: Options
        switch parse(arguments) {
        case .success(let parsed): options = parsed
        case .failure(let error):
            complain("\(error.message) (banyan modules --help)")
            exit(2)
        }
        do throws(AdminClient.Failure) {
            let client = try AdminClient.connect(gateway: options.gateway)
            if options.json {
                FileHandle.standardOutput.write(Data(try client.getRaw("/admin/modules")))
                print()
            } else {
                let report = try client.get("/admin/modules", as: ModuleSignalsReport.self)
                for line in table(report, hour: options.hour) { print(line) }
            }
        } catch {
            complain(error.message)
            exit(1)
        }
        exit(0)
    }

    /// The report as aligned lines: a header, then one row per module, the
    /// most CPU per minute of the window shown first.
    static func table(_ report: ModuleSignalsReport, hour: Bool) -> [String] {
        let window: (ModuleSignalsReport.Module) -> ModuleSignalsReport.Window = { hour ? $0.hour : $0.minute }
        // The gateway sorts by the last minute; the hour's table goes by the hour.
        let modules = report.modules.enumerated().sorted { a, b in
            let (left, right) = (window(a.element).cpuMsPerMinute, window(b.element).cpuMsPerMinute)
            return left != right ? left > right : a.offset < b.offset
        }.map(\.element)
        let header = [
            "MODULE", "CALLS/MIN", "CPU MS/CALL", "CPU MS/MIN", "P50 MS", "P99 MS", "ERRORS", "DB MS/CALL", "WHY",
        ]
        let rows = modules.map { module -> [String] in
            let figures = window(module)
            return [
                module.module, number(figures.callsPerMinute), number(figures.cpuMsPerCall),
                number(figures.cpuMsPerMinute), number(figures.p50Ms), number(figures.p99Ms),
                String(format: "%.1f%%", figures.errorRate * 100), number(figures.dbMsPerCall), module.why,
            ]
        }
        return [hour ? "last hour" : "last minute"] + TextTable.lines([header] + rows)
    }

    /// Three significant figures at most, without trailing zeros' noise.
    private static func number(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value >= 100 { return String(format: "%.0f", value) }
        if value >= 10 { return String(format: "%.1f", value) }
        if value >= 1 { return String(format: "%.2f", value) }
        return String(format: "%.3f", value)
    }

    private static func complain(_ message: String) { Terminal.complain("banyan modules: " + message) }
}
