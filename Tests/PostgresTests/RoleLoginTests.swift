import BanyanTestSupport
import Foundation
import Postgres
import Testing

/// `Database.connect`: a service's way in, as its module's role and nothing
/// else; and role prefixes, which let deployments share one cluster.
@Suite struct RoleLoginTests {
    static let tally = ModuleSchema(
        name: "tally",
        migrations: [
            Migration(
                version: 1, name: "marks",
                sql: "CREATE TABLE marks (tenant_id text NOT NULL, note text NOT NULL)")
        ])
    static let tallyV2 = ModuleSchema(
        name: "tally",
        migrations: tally.migrations + [
            Migration(version: 2, name: "mark_time", sql: "ALTER TABLE marks ADD COLUMN at timestamptz")
        ])

    /// `conninfo` with another login: what an operator's DATABASE_URL might carry.
    private func withLogin(_ conninfo: String, user: String, password: String) throws -> String {
        var info = try ConnectionInfo(parsing: conninfo)
        info["user"] = user
        info["password"] = password
        return info.conninfo
    }

    private func options(
        _ url: String, prefix: String = ModuleSchema.defaultRolePrefix,
        password: @escaping @Sendable (String) -> String = TestDatabase.rolePassword
    ) -> Database.Options {
        Database.Options(
            databaseURL: url, embeddedDirectory: "/nonexistent", rolePassword: password, poolSize: 2, rolePrefix: prefix)
    }

    /// What `body` threw, as text, or nil.
    private func failure(_ body: () throws -> Void) -> (error: PostgresError?, text: String) {
        do {
            try body()
            return (nil, "")
        } catch let error as PostgresError {
            return (error, "\(error)")
        } catch {
            return (nil, "\(error)")
        }
    }

    @Test func connectLogsInAsTheRoleOnlyWhateverTheURLSays() throws {
        let url = TestDatabase.makeDatabase("rolelogin")
        let migrated = try Database.open(modules: [Self.tally], options: options(url))
        migrated.shutdown()

        // The URL's own user and password are ignored: these would not even log in.
        let service = try Database.connect(
            module: Self.tally, options: options(try withLogin(url, user: "postgres", password: "not-the-password")))
        defer { service.shutdown() }
        let pool = service.pool(for: "tally")
        let me = try pool.withConnection {
            try $0.query("SELECT current_user AS me, rolsuper FROM pg_roles WHERE rolname = current_user").first
        }
        #expect(try me?.string("me") == "banyan_tally")
        #expect(try me?.bool("rolsuper") == false)
        try pool.withConnection { try $0.execute("INSERT INTO marks VALUES ('t', 'written by the service')") }
        #expect(try pool.withConnection { try $0.query("SELECT note FROM marks").count } == 1)
        #expect(service.ping())
    }

    @Test func connectProvisionsNothingAndRefusesAnUnprovisionedSchema() throws {
        // The role exists (another database was migrated), this database has no schema yet.
        try Database.open(modules: [Self.tally], options: options(TestDatabase.makeDatabase("rolelogin_seed"))).shutdown()
        let fresh = TestDatabase.makeDatabase("rolelogin_empty")
        let refused = failure { try Database.connect(module: Self.tally, options: options(fresh)).shutdown() }
        #expect(refused.error?.kind == .migration)
        #expect(refused.text.contains("schema tally is not provisioned"))
        #expect(refused.text.contains("banyan migrate"))
        // And it created nothing on its way.
        let admin = try PostgresConnection(conninfo: fresh)
        defer { admin.close() }
        #expect(try admin.query("SELECT 1 FROM pg_namespace WHERE nspname = 'tally'").count == 0)
    }

    /// A new version of a service brings its own schema forward, as its own
    /// role, and touches no other: the gateway need not be upgraded first.
    @Test func connectMigratesItsOwnSchemaForward() throws {
        let url = TestDatabase.makeDatabase("rolelogin_behind")
        try Database.open(modules: [Self.tally], options: options(url)).shutdown()
        try Database.connect(module: Self.tallyV2, options: options(url)).shutdown()

        let admin = try PostgresConnection(conninfo: url)
        defer { admin.close() }
        let versions = try admin.query("SELECT version FROM tally.schema_migrations ORDER BY version").map { try $0.int("version") }
        #expect(versions == [1, 2])
        let owner = try admin.query(
            "SELECT tableowner FROM pg_tables WHERE schemaname = 'tally' AND tablename = 'schema_migrations'").first
        #expect(try owner?.string("tableowner") == "banyan_tally", "applied as the module's role")
        // Connecting again finds nothing to do.
        try Database.connect(module: Self.tallyV2, options: options(url)).shutdown()
    }

    @Test func connectWithAWrongPasswordSaysWhereThePasswordComesFrom() throws {
        let url = TestDatabase.makeDatabase("rolelogin_password")
        try Database.open(modules: [Self.tally], options: options(url)).shutdown()
        let refused = failure {
            try Database.connect(module: Self.tally, options: options(url, password: { _ in "wrong" })).shutdown()
        }
        #expect(refused.error?.kind == .connectionFailed)
        #expect(refused.text.contains("banyan_tally"))
        #expect(refused.text.contains("BANYAN_DB_PASSWORD"))
        #expect(!refused.text.contains("wrong\""))
    }

    @Test func twoPrefixesOnOneClusterMigrateAndCannotReadEachOther() throws {
        let shop1URL = TestDatabase.makeDatabase("prefix_shop1")
        let shop2URL = TestDatabase.makeDatabase("prefix_shop2")
        let shop1 = try Database.open(modules: [Self.tally], options: options(shop1URL, prefix: "shop1_"))
        defer { shop1.shutdown() }
        let shop2 = try Database.open(modules: [Self.tally], options: options(shop2URL, prefix: "shop2_"))
        defer { shop2.shutdown() }
        try shop1.pool(for: "tally").withConnection { try $0.execute("INSERT INTO marks VALUES ('t', 'shop one')") }
        try shop2.pool(for: "tally").withConnection { try $0.execute("INSERT INTO marks VALUES ('t', 'shop two')") }

        #expect(try shop1.pool(for: "tally").withConnection { try $0.query("SELECT current_user AS me").first?.string("me") } == "shop1_tally")
        #expect(try shop2.pool(for: "tally").withConnection { try $0.query("SELECT current_user AS me").first?.string("me") } == "shop2_tally")
        #expect(try shop1.pool(for: "tally").withConnection { try $0.query("SELECT note FROM marks").first?.string("note") } == "shop one")

        // shop1's role, logged in to shop2's database, sees nothing of it.
        let intruder = try PostgresConnection(
            conninfo: withLogin(shop2URL, user: "shop1_tally", password: TestDatabase.rolePassword("shop1_tally")))
        defer { intruder.close() }
        let error = #expect(throws: PostgresError.self) { try intruder.query("SELECT note FROM tally.marks") }
        #expect(error?.isPermissionDenied == true)

        // Nor can it start a service there.
        let refused = failure {
            try Database.connect(module: Self.tally, options: options(shop2URL, prefix: "shop1_")).shutdown()
        }
        #expect(refused.error?.kind == .migration)
        #expect(refused.text.contains("not readable by this role"))
        // While shop2's service can.
        try Database.connect(module: Self.tally, options: options(shop2URL, prefix: "shop2_")).shutdown()
    }

    @Test(arguments: ["", "Shop1_", "shop-1_", "1shop_", "pg_", "shop1 ; drop", String(repeating: "x", count: 60)])
    func aPrefixThatIsNotAnIdentifierIsRefused(prefix: String) throws {
        let refused = failure {
            try Database.open(
                modules: [Self.tally], options: options("postgresql:///nowhere?host=/nonexistent", prefix: prefix)
            ).shutdown()
        }
        #expect(refused.error?.kind == .configuration, "\(refused.text)")
    }

    @Test func theDefaultPrefixIsBanyan() {
        #expect(Self.tally.roleName == "banyan_tally")
        #expect(Self.tally.roleName(prefix: "shop1_") == "shop1_tally")
    }
}
