import Postgres

/// The `ops` schema: the audit trail of flags.json, owned by the role
/// `banyan_ops` like any module's schema, so `banyan migrate` provisions it
/// and `banyan db-password ops` gives its password.
///
/// Both tables are append-only, in the database and not just in
/// `FlagsAuditLog`, by two walls:
///
/// 1. The migration revokes UPDATE, DELETE, TRUNCATE (and TRIGGER) from its
///    own role, the tables' owner. PostgreSQL lets an owner drop its own
///    ordinary privileges; a statement that needs them then fails with
///    `permission denied for table …` (SQLSTATE 42501).
/// 2. Statement-level triggers refuse UPDATE, DELETE and TRUNCATE from
///    anyone, the admin login included (privileges do not stop a superuser;
///    triggers do, unless it disables them or switches to replica mode).
///
/// An owner keeps the power to undo both (`GRANT … TO` itself, `ALTER TABLE
/// … DISABLE TRIGGER`, `DROP`): ownership cannot be given away from inside
/// a migration, which runs as this very role (NOCREATEROLE, not a member of
/// any other). In normal operation that power is never exercised: the role
/// logs in only for `FlagsAuditLog`'s INSERTs and SELECTs and for the
/// migrations below, which are checksummed when applied (an edited one stops
/// every start), so undoing a wall takes a new, reviewed migration or an
/// operator with the role's password typing DDL. `FlagsAuditLog.verifyAppendOnly()`
/// notices either wall having been taken down. (Tables owned by another role,
/// with `banyan_ops` granted INSERT and SELECT only, would close that gap;
/// it needs the provisioner to create them, not a migration.)
///
/// No row-level security: these rows are not a tenant's data but the
/// operators' record of routing across every tenant. They are written by the
/// control plane and reloads and read by operators, never in a tenant-scoped
/// transaction (`app.tenant` is not set), and one change may name several
/// tenants; a tenant policy would hide every row from the only readers.
public enum FlagsAudit {
    public static let schema = ModuleSchema(
        name: "ops",
        migrations: [
            Migration(
                version: 1, name: "flag changes and applications",
                sql: """
                    -- One row per change to flags.json (or refused attempt): who, when, why,
                    -- the file before and after, per module and tenant, and the gate's verdict.
                    CREATE TABLE ops.flag_changes (
                        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        at              timestamptz NOT NULL DEFAULT now(),
                        actor           text NOT NULL CHECK (actor ~ '[^[:space:]]'),
                        source          text NOT NULL CHECK (source IN ('cli', 'api', 'file')),
                        reason          text,
                        from_version    text CHECK (from_version ~ '^sha256:[0-9a-f]{64}$'),
                        to_version      text CHECK (to_version ~ '^sha256:[0-9a-f]{64}$'),
                        before_document jsonb,
                        after_document  jsonb,
                        changes         jsonb NOT NULL CHECK (jsonb_typeof(changes) = 'array'),
                        gate            jsonb NOT NULL
                                        CHECK (coalesce(gate->>'result', '') IN ('passed', 'refused', 'forced', 'unchecked')),
                        forced          boolean NOT NULL,
                        -- A hand edit of the file has nobody to ask why; every other change says.
                        CONSTRAINT flag_changes_reason_required
                            CHECK (source = 'file' OR coalesce(reason, '') ~ '[^[:space:]]'),
                        CONSTRAINT flag_changes_forced_is_the_verdict
                            CHECK (forced = (gate->>'result' = 'forced')),
                        CONSTRAINT flag_changes_forced_says_why
                            CHECK (NOT forced OR coalesce(gate->>'force_reason', '') ~ '[^[:space:]]')
                    );
                    CREATE INDEX flag_changes_newest ON ops.flag_changes (at DESC, id DESC);
                    -- history(module:tenant:) asks `changes @> '[{"module": …, "tenant": …}]'`.
                    CREATE INDEX flag_changes_touching ON ops.flag_changes USING gin (changes jsonb_path_ops);

                    -- Which gateway instance applied which file version, when: one row each
                    -- time an instance moves to a version (A, B, then A again is three rows).
                    CREATE TABLE ops.flag_applications (
                        id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        instance   text NOT NULL CHECK (instance ~ '[^[:space:]]'),
                        version    text NOT NULL CHECK (version ~ '^sha256:[0-9a-f]{64}$'),
                        applied_at timestamptz NOT NULL,
                        CONSTRAINT flag_applications_once UNIQUE (instance, version, applied_at)
                    );
                    CREATE INDEX flag_applications_latest ON ops.flag_applications (instance, applied_at DESC, id DESC);
                    CREATE INDEX flag_applications_by_version ON ops.flag_applications (version, instance);

                    CREATE FUNCTION ops.refuse_rewriting_history() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        RAISE EXCEPTION '%.% is append-only: % refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
                            USING ERRCODE = 'insufficient_privilege',
                                  HINT = 'record a new row instead; the audit trail is never rewritten';
                    END
                    $$;
                    -- FOR EACH STATEMENT: an UPDATE or DELETE matching no row is refused too.
                    CREATE TRIGGER flag_changes_append_only
                        BEFORE UPDATE OR DELETE OR TRUNCATE ON ops.flag_changes
                        FOR EACH STATEMENT EXECUTE FUNCTION ops.refuse_rewriting_history();
                    CREATE TRIGGER flag_applications_append_only
                        BEFORE UPDATE OR DELETE OR TRUNCATE ON ops.flag_applications
                        FOR EACH STATEMENT EXECUTE FUNCTION ops.refuse_rewriting_history();
                    -- CURRENT_USER: the owner, whatever BANYAN_DB_ROLE_PREFIX made its name.
                    REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER ON ops.flag_changes, ops.flag_applications
                        FROM CURRENT_USER;
                    """),
            Migration(
                version: 2, name: "gateway instances",
                sql: """
                    -- Which gateway instances are running now, and on which version: a
                    -- heartbeat each instance overwrites, so "has every running gateway
                    -- applied v42?" has an answer a dead instance does not block. Not part
                    -- of the audit trail (flag_applications is): liveness, rewritten in place.
                    CREATE TABLE ops.gateway_instances (
                        instance   text PRIMARY KEY CHECK (instance ~ '[^[:space:]]'),
                        version    text CHECK (version ~ '^sha256:[0-9a-f]{64}$'),
                        started_at timestamptz NOT NULL,
                        seen_at    timestamptz NOT NULL
                    );
                    """),
        ])

    /// The tables `FlagsAuditLog.verifyAppendOnly()` checks.
    static let appendOnlyTables = ["flag_changes", "flag_applications"]
}
