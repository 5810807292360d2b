/// The rows a statement returned, copied out of libpq's result so they can
/// cross threads and outlive the connection.
public struct PostgresRows: Sequence, Sendable {
    let storage: Storage

    /// The column names, in order.
    public var columns: [String] { storage.columns }
    public var count: Int { storage.rowCount }
    public var first: PostgresRow? { count > 0 ? PostgresRow(storage: storage, index: 0) : nil }
    /// Rows inserted, updated or deleted (`PQcmdTuples`), 0 when the command reports none.
    public var affectedRows: Int { storage.affectedRows }

    public subscript(position: Int) -> PostgresRow {
        precondition(position >= 0 && position < count, "row \(position) out of range 0..<\(count)")
        return PostgresRow(storage: storage, index: position)
    }

    public func makeIterator() -> Iterator { Iterator(storage: storage) }

    public struct Iterator: IteratorProtocol {
        let storage: Storage
        var position = 0

        public mutating func next() -> PostgresRow? {
            guard position < storage.rowCount else { return nil }
            defer { position += 1 }
            return PostgresRow(storage: storage, index: position)
        }
    }

    /// Immutable after creation, so sharing it between rows and threads is safe.
    final class Storage: Sendable {
        let columns: [String]
        let columnIndex: [String: Int]
        /// Row-major text values; nil is NULL.
        let values: [String?]
        let rowCount: Int
        let affectedRows: Int

        init(columns: [String], values: [String?], rowCount: Int, affectedRows: Int) {
            self.columns = columns
            // The first of duplicate names wins, as with `SELECT a.id, b.id`.
            var index: [String: Int] = [:]
            for (position, name) in columns.enumerated() where index[name] == nil {
                index[name] = position
            }
            self.columnIndex = index
            self.values = values
            self.rowCount = rowCount
            self.affectedRows = affectedRows
        }
    }
}
