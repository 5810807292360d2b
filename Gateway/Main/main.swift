import Bootstrap
import Foundation

// `banyan`: the gateway executable and its operator commands (`Subcommand.all`).
// `banyan`, `banyan --help` and `banyan help` print the overview and exit 0;
// `banyan help <command>` and `banyan <command> --help` that command's usage.
// An unknown command is a usage error: exit 2, never a gateway started by default.

// First, before anything can write to a pipe: a closed reader must not kill us.
Startup.ignoreBrokenPipes()

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case nil, "-h", "--help":
    Terminal.say(Subcommand.overview)
    exit(0)
case "help":
    let topic = arguments.dropFirst()
    guard let name = topic.first else {
        Terminal.say(Subcommand.overview)
        exit(0)
    }
    guard topic.count == 1, let command = Subcommand.named(name) else {
        Terminal.complain("banyan help: no command \(topic.joined(separator: " "))\n\(Subcommand.overview)")
        exit(2)
    }
    Terminal.say(command.usage)
    exit(0)
case let name?:
    guard let command = Subcommand.named(name) else {
        Terminal.complain("banyan: unknown command \(name)\n\(Subcommand.overview)")
        exit(2)
    }
    command(Array(arguments.dropFirst()))
}
