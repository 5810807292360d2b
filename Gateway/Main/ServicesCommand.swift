import Foundation
import ModuleRegistry

/// `banyan services`: one line per module that can run as a service —
/// name, executable, default port — for scripts/up to start each.
enum ServicesCommand {
    static let usage = """
        usage: banyan services
          Lists the modules that run as services, one per line: name, executable, default port.
        """

    static let command = Subcommand(
        name: "services", summary: "list the modules that run as services: name, executable, default port",
        usage: usage,
        run: { arguments in
            if let first = arguments.first { Terminal.usageError("services", "unexpected argument \(first)", usage: usage) }
            for module in ModuleRegistry.all {
                guard let service = module.service else { continue }
                Terminal.say("\(module.name) \(service.executable) \(service.defaultPort)")
            }
            exit(0)
        })
}
