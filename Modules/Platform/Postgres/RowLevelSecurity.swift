/// The second wall between tenants, after every query's `tenant_id` filter:
/// a row-level security policy comparing `tenant_id` with the `app.tenant`
/// setting that `PostgresPool.transaction(tenant:)` sets.
///
/// With no tenant set, `current_setting('app.tenant', true)` is NULL and the
/// policy matches nothing: forgetting the tenant shows no rows rather than
/// all of them. `FORCE` applies the policy to the owning module role too.
public enum RowLevelSecurity {
    /// The statements that put `table` (which must have a text `tenant_id`)
    /// under tenant isolation, for use inside a migration.
    public static func tenantIsolationSQL(table: String) -> String {
        let parts = table.split(separator: ".", omittingEmptySubsequences: false)
        precondition(
            (1...2).contains(parts.count) && parts.allSatisfy { PostgresIdentifier.isValid(String($0)) },
            "table name must be a code constant such as orders or orders.tickets")
        return """
            ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY;
            ALTER TABLE \(table) FORCE ROW LEVEL SECURITY;
            CREATE POLICY tenant_isolation ON \(table) USING (tenant_id = current_setting('app.tenant', true)) \
            WITH CHECK (tenant_id = current_setting('app.tenant', true));
            """
    }
}
