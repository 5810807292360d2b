import Postgres

/// A module whose outbox the dispatcher drains, through that module's own
/// pool: its role owns the schema, so it may read and update the outbox.
struct OutboxSource: Sendable {
    /// The schema name; a code constant, checked when the source is added.
    let module: String
    let pool: PostgresPool
}
