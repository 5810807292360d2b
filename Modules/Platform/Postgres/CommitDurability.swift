/// When a transaction's COMMIT may return.
public enum CommitDurability: Sendable {
    /// Once its WAL is flushed to disk: PostgreSQL's default, and the only
    /// right choice for anything a caller is told has happened.
    case durable
    /// Before its WAL is flushed (`synchronous_commit = off`). The change is
    /// atomic and visible at once, and becomes durable with the next durable
    /// commit on the cluster (WAL is flushed in order) or within a few
    /// hundred milliseconds; a crash before then loses it whole.
    ///
    /// Only for the inner steps of a saga whose own durable commit comes
    /// after them and before anyone is answered, and whose recovery copes
    /// with the step never having happened. It keeps a hot row's lock from
    /// being held across a disk flush.
    case flushedByLaterCommit
}
