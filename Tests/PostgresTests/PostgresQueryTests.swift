import Foundation
import Postgres
import Testing

@Suite struct PostgresQueryTests {
    @Test func interpolatedValuesBecomeNumberedParameters() {
        let name = "alice'; DROP TABLE users; --"
        let query: PostgresQuery = "SELECT id FROM auth.users WHERE username = \(name) AND active = \(true) LIMIT \(5)"
        #expect(query.sql == "SELECT id FROM auth.users WHERE username = $1 AND active = $2 LIMIT $3")
        #expect(query.binds.map(\.text) == [name, "true", "5"])
        #expect(!query.sql.contains("DROP"))
    }

    @Test func optionalNilIsNull() {
        let missing: String? = nil
        let present: Int64? = 7
        let query: PostgresQuery = "INSERT INTO t VALUES (\(missing), \(present))"
        #expect(query.sql == "INSERT INTO t VALUES ($1, $2)")
        #expect(query.binds[0].text == nil)
        #expect(query.binds[1].text == "7")
    }

    @Test func descriptionShowsSQLButNotValues() {
        let secret = "hunter2-password"
        let query: PostgresQuery = "UPDATE users SET password = \(secret)"
        #expect(!"\(query)".contains(secret))
    }

    @Test func identifiersAreQuotedCodeConstants() {
        let query: PostgresQuery = "CREATE SCHEMA \(identifier: "auth_v2")"
        #expect(query.sql == "CREATE SCHEMA \"auth_v2\"")
        #expect(query.binds.isEmpty)
    }

    @Test(arguments: ["Auth", "a-b", "x\"; DROP", "", "1abc", String(repeating: "a", count: 64)])
    func invalidIdentifiersFailWhenRun(name: String) throws {
        let connection = try freshConnection("ident")
        defer { connection.close() }
        let error = #expect(throws: PostgresError.self) {
            try connection.query("SELECT 1 AS \(identifier: name)")
        }
        #expect(error?.kind == .invalidQuery)
    }

    @Test func bytesAndSpecialDoublesUseServerSpellings() {
        let bytes: [UInt8] = [0x00, 0xAB, 0xFF]
        let query: PostgresQuery = "SELECT \(bytes), \(Double.infinity), \(-Double.infinity), \(Double.nan)"
        #expect(query.binds.map(\.text) == ["\\x00abff", "Infinity", "-Infinity", "NaN"])
    }

    @Test func rowLevelSecuritySQLNamesTheTable() {
        let sql = RowLevelSecurity.tenantIsolationSQL(table: "orders")
        #expect(sql.contains("ALTER TABLE orders ENABLE ROW LEVEL SECURITY;"))
        #expect(sql.contains("ALTER TABLE orders FORCE ROW LEVEL SECURITY;"))
        #expect(sql.contains("CREATE POLICY tenant_isolation ON orders USING (tenant_id = current_setting('app.tenant', true))"))
        #expect(sql.contains("WITH CHECK (tenant_id = current_setting('app.tenant', true));"))
        #expect(ModuleSchema.tenantIsolationSQL(table: "orders") == sql)
    }

    @Test func moduleRoleNameIsPrefixed() {
        #expect(ModuleSchema(name: "payments", migrations: []).roleName == "banyan_payments")
    }
}
