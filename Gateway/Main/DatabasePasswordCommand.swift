import Bootstrap
import Foundation
import Gateway
import ModuleRegistry

/// `banyan db-password <module>`: the module's PostgreSQL role password. A
/// service logs in as its module's role only; this is how it learns the
/// password the gateway set, without ever holding the admin login.
enum DatabasePasswordCommand {
    static var modules: [String] { Gateway.modules.map(\.name) }

    static let usage = """
        usage: banyan db-password <\(modules.joined(separator: "|"))>
          Prints the module's PostgreSQL role password, derived from BANYAN_DB_SECRET (else
          $BANYAN_HOME/db-secret), for its service's BANYAN_DB_PASSWORD.
        """

    static let command = Subcommand(
        name: "db-password", summary: "print a module's PostgreSQL role password, for its service's BANYAN_DB_PASSWORD",
        usage: usage,
        run: { arguments in
            guard arguments.count == 1, let name = arguments.first else {
                Terminal.usageError("db-password", "name one module", usage: usage)
            }
            if let module = ModuleRegistry.named(name), module.schema == nil {
                Terminal.usageError(
                    "db-password", "\(name) owns no data: its service opens no database and needs no password", usage: usage)
            }
            guard let module = Gateway.modules.first(where: { $0.name == name }) else {
                Terminal.usageError("db-password", "no module \(name)", usage: usage)
            }
            do {
                Terminal.say(try DatabaseSetup.password(module: module))
            } catch {
                Startup.fail("cannot derive the password: \(error)")
            }
            exit(0)
        })
}
