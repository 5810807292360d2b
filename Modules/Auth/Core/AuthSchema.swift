import Postgres

/// The `auth` schema, owned by the `banyan_auth` role. Migrations are
/// append-only: an applied one is never edited (its checksum is recorded).
package enum AuthSchema {
    package static let module = ModuleSchema(
        name: "auth",
        migrations: [
            Migration(
                version: 1, name: "tenants and users",
                sql: """
                    CREATE TABLE auth.tenants (
                        tenant_id  text PRIMARY KEY,
                        name       text NOT NULL,
                        created_at timestamptz NOT NULL DEFAULT now()
                    );
                    CREATE TABLE auth.users (
                        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                        tenant_id     text NOT NULL REFERENCES auth.tenants (tenant_id),
                        username      text NOT NULL,
                        email         text NOT NULL,
                        password_hash text NOT NULL,
                        role          text NOT NULL CHECK (role IN ('admin', 'manager', 'cashier')),
                        active        boolean NOT NULL DEFAULT true,
                        created_at    timestamptz NOT NULL DEFAULT now(),
                        updated_at    timestamptz NOT NULL DEFAULT now()
                    );
                    -- Usernames are unique per restaurant, compared without case.
                    CREATE UNIQUE INDEX users_tenant_username ON auth.users (tenant_id, lower(username));
                    \(RowLevelSecurity.tenantIsolationSQL(table: "auth.tenants"))
                    \(RowLevelSecurity.tenantIsolationSQL(table: "auth.users"))
                    """),
            Migration(
                version: 2, name: "token revocation",
                sql: """
                    -- Set when a user is disabled or their role changes: tokens issued
                    -- before it no longer pass the gateway (see RevocationFeed).
                    ALTER TABLE auth.users ADD COLUMN tokens_valid_after timestamptz;
                    CREATE INDEX users_tokens_valid_after ON auth.users (tokens_valid_after)
                        WHERE tokens_valid_after IS NOT NULL;
                    -- Every gateway keeps the revocations of every restaurant in memory:
                    -- it may read users whose tokens were revoked (and nothing else) across tenants.
                    CREATE POLICY token_revocations ON auth.users FOR SELECT
                        USING (tokens_valid_after IS NOT NULL
                               AND current_setting('app.token_revocations', true) = 'on');
                    """),
            Migration(
                version: 3, name: "tenant directory",
                sql: """
                    -- The flags control plane previews a cohort or default change tenant by
                    -- tenant, so the gateway may list the restaurants' ids (and nothing else
                    -- of theirs) across tenants, in a transaction that asks for it.
                    CREATE POLICY tenant_directory ON auth.tenants FOR SELECT
                        USING (current_setting('app.tenant_directory', true) = 'on');
                    """),
        ])
}
