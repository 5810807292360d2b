/// The statements one connection has prepared on its server, so that each
/// distinct statement is parsed and planned once per connection instead of
/// on every call.
///
/// Keyed by SQL text *and* parameter types: the server fixes a prepared
/// statement's parameter types when it parses it, so `WHERE id = $1` bound
/// once as text and once as int8 needs two statements. Bounded: past
/// `capacity` the least recently used entry is evicted and its name handed
/// back, for the connection to `DEALLOCATE` when it is safe to.
///
/// Only the connection that owns it touches it (one borrower at a time).
struct PreparedStatementCache {
    struct Key: Hashable {
        let sql: String
        let parameterTypes: [UInt32]

        init(_ query: PostgresQuery) {
            sql = query.sql
            parameterTypes = query.binds.map(\.typeOID)
        }
    }

    private struct Entry {
        let name: String
        var lastUse: UInt64
    }

    let capacity: Int
    private var entries: [Key: Entry] = [:]
    /// A use counter standing in for time: cheaper than a clock, and strictly ordered.
    private var useCount: UInt64 = 0
    /// Names are never reused on a connection, so a statement that is evicted
    /// but not yet deallocated can never be confused with a newer one.
    private var nameCount: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.count }

    /// The name of the statement prepared for `key`, marked as just used.
    mutating func name(for key: Key) -> String? {
        useCount += 1
        guard let index = entries.index(forKey: key) else { return nil }
        entries.values[index].lastUse = useCount
        return entries.values[index].name
    }

    /// A name no statement of this connection has had.
    mutating func makeName() -> String {
        nameCount += 1
        return "banyan_\(nameCount)"
    }

    /// Records that the server now knows `name` as `key`; returns the name
    /// of the entry evicted to make room, if any.
    mutating func insert(_ key: Key, name: String) -> String? {
        useCount += 1
        entries[key] = Entry(name: name, lastUse: useCount)
        guard entries.count > capacity else { return nil }
        // A linear scan, but only when the cache is full and a new statement
        // arrives: rare once a service has warmed up, and `capacity` is small.
        guard let victim = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) else { return nil }
        entries[victim.key] = nil
        return victim.value.name
    }

    /// Forgets `key`; returns the name it had.
    @discardableResult
    mutating func remove(_ key: Key) -> String? {
        entries.removeValue(forKey: key)?.name
    }

    mutating func removeAll() {
        entries.removeAll()
    }
}
