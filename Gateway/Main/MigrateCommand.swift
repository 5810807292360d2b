import Bootstrap
import Foundation
import Gateway
import Postgres

/// `banyan migrate`: provisions every module's role and schema and applies
/// their migrations with the admin login, then exits — what must run once
/// before any service starts, since a service logs in as its module's role only.
enum MigrateCommand {
    static let usage = """
        usage: banyan migrate
          Applies every module's migrations to DATABASE_URL (else the embedded cluster under
          $BANYAN_HOME/pg, started for the run and stopped after) and exits. Run it before
          starting any service.
        """

    static let command = Subcommand(
        name: "migrate", summary: "apply every module's migrations and exit (before starting any service)",
        usage: usage,
        run: { arguments in
            if let first = arguments.first { Terminal.usageError("migrate", "unexpected argument \(first)", usage: usage) }
            openDatabase().shutdown()
            Terminal.say("migrations applied")
            exit(0)
        })

    /// The gateway's database, every module migrated; gives up (exit 1) when it cannot.
    static func openDatabase() -> Database {
        do {
            return try Database.open(modules: Gateway.modules, options: try DatabaseSetup.options())
        } catch {
            Startup.fail("cannot open the database: \(error)")
        }
    }
}
