import BanyanTestSupport
import Foundation
import Testing

/// `banyan`'s command line as an operator meets it: help when asked for
/// nothing, every command's own usage, and one exit status per kind of
/// outcome (0 done, 1 failed, 2 called wrongly) — never a gateway started
/// by default.
@Suite struct BanyanCommandLineTests {
    static let commands = ["serve", "migrate", "db-password", "services", "contract", "flags", "modules", "bench-routing"]

    /// Runs `banyan arguments…` in a private home of its own.
    private func banyan(_ arguments: [String]) throws -> BanyanCommand {
        let home = try ChildProcess.makePrivateDirectory("banyan-cli")
        defer { try? FileManager.default.removeItem(atPath: home) }
        return try BanyanCommand.run(arguments, environment: [:], home: home)
    }

    @Test(arguments: [[], ["--help"], ["-h"], ["help"]])
    func askingForNothingPrintsTheOverviewAndExitsZero(_ arguments: [String]) throws {
        let run = try banyan(arguments)
        #expect(run.status == 0, run.output)
        #expect(run.stdout.hasPrefix("usage: banyan <command>"), run.output)
        #expect(run.stdout.contains("name serve to start the gateway"), run.output)
        let listed = run.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(listed == Self.commands, "one line per command: \(run.output)")
        #expect(!run.stdout.contains("listening"), "no gateway started: \(run.output)")
    }

    @Test(arguments: commands)
    func everyCommandHasItsOwnUsage(_ command: String) throws {
        for arguments in [[command, "--help"], [command, "-h"], ["help", command]] {
            let run = try banyan(arguments)
            #expect(run.status == 0, "\(arguments): \(run.output)")
            #expect(run.stdout.hasPrefix("usage: banyan \(command)"), "\(arguments): \(run.output)")
        }
    }

    @Test(arguments: [
        ["nonsense"], ["--demo"], ["help", "nonsense"], ["help", "serve", "migrate"], ["serve", "--dmeo"],
        ["migrate", "now"], ["services", "all"], ["db-password"], ["db-password", "payroll"],
        ["db-password", "chatbot"], ["db-password", "payments", "orders"], ["bench-routing", "many"],
        ["bench-routing", "10", "20"], ["modules", "--verbose"], ["flags", "launch"],
    ])
    func usageErrorsExitTwoWithTheUsage(_ arguments: [String]) throws {
        let run = try banyan(arguments)
        #expect(run.status == 2, run.output)
        #expect(run.stderr.contains("usage: banyan") || run.stderr.contains("--help"), run.output)
        #expect(run.stdout.isEmpty, "nothing ran: \(run.output)")
    }
}
