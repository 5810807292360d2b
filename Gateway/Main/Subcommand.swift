import Foundation

/// One `banyan` command: its name, the line the overview gives it, its
/// own usage (printed by `banyan <name> --help`, `-h` and `banyan help
/// <name>`, exit 0) and what it does with the arguments after its name.
struct Subcommand: Sendable {
    let name: String
    let summary: String
    let usage: String
    let run: @Sendable ([String]) -> Never

    /// Runs it, or prints its usage when `-h` or `--help` is among the arguments.
    func callAsFunction(_ arguments: [String]) -> Never {
        if arguments.contains("-h") || arguments.contains("--help") {
            Terminal.say(usage)
            exit(0)
        }
        run(arguments)
    }

    /// Every command, in the order the overview lists them.
    static let all: [Subcommand] = [
        ServeCommand.command, MigrateCommand.command, DatabasePasswordCommand.command, ServicesCommand.command,
        Subcommand(
            name: "contract", summary: "run a module's contract suite against a running service",
            usage: ContractCommand.usage, run: { ContractCommand.run($0) }),
        Subcommand(
            name: "flags", summary: "move tenants between homes: status, preview, set, rollout, history, revert, …",
            usage: FlagsCommand.usage, run: { FlagsCommand.run($0) }),
        Subcommand(
            name: "modules", summary: "each module's calls, CPU and database time, latency and errors in the running gateway",
            usage: ModulesCommand.usage, run: { ModulesCommand.run($0) }),
        BenchRoutingCommand.command,
    ]

    static func named(_ name: String) -> Subcommand? { all.first { $0.name == name } }

    /// What `banyan`, `banyan --help` and `banyan help` print.
    static var overview: String {
        let width = (all.map(\.name.count).max() ?? 0) + 2
        let lines = all.map { "  " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + $0.summary }
        return """
            usage: banyan <command> [options]

            commands:
            \(lines.joined(separator: "\n"))

            Nothing starts without a command: name serve to start the gateway (banyan serve).
            banyan <command> --help, or banyan help <command>, prints a command's own usage.
            Exit status: 0 done, 1 failed, 2 a usage error (an unknown command or option).
            """
    }
}
