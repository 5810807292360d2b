/// Levenshtein distance, for forgiving small typos in item names.
package enum EditDistance {
    /// Insertions, deletions and substitutions needed to turn `a` into `b`.
    package static func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        distance(a, b, limit: max(a.count, b.count))!
    }

    /// 1 for equal strings, 0 for nothing in common: 1 − distance / longer length.
    package static func similarity(_ a: String, _ b: String) -> Double {
        similarity(Array(a.unicodeScalars), Array(b.unicodeScalars), atLeast: 0) ?? 0
    }

    /// The similarity of `a` and `b` when it is at least `minimum`, else nil.
    /// Knowing the floor lets the comparison stop early: pairs whose lengths
    /// differ too much are never compared, and the table is abandoned as soon
    /// as every cell of a row is past the allowed distance.
    package static func similarity(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], atLeast minimum: Double) -> Double? {
        let longer = max(a.count, b.count)
        guard longer > 0 else { return 1 }
        let limit = Int(((1 - minimum) * Double(longer)).rounded(.down))
        guard let distance = distance(a, b, limit: limit) else { return nil }
        let similarity = 1 - Double(distance) / Double(longer)
        return similarity >= minimum ? similarity : nil
    }

    /// The distance when it is at most `limit`, else nil. Two rows of memory;
    /// O(|a|·|b|) time at worst, so callers keep inputs short.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int? {
        guard abs(a.count - b.count) <= limit else { return nil }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Both rows in one buffer, at offsets that trade places after each row.
        let width = b.count + 1
        var table = [Int](repeating: 0, count: 2 * width)
        let distance = a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                table.withUnsafeMutableBufferPointer { table in
                    rows(a, b, table, width: width, limit: limit)
                }
            }
        }
        guard let distance, distance <= limit else { return nil }
        return distance
    }

    /// The table itself, over raw buffers: this loop is the whole cost of
    /// fuzzy matching. Nil when it stopped early.
    private static func rows(
        _ a: UnsafeBufferPointer<Unicode.Scalar>, _ b: UnsafeBufferPointer<Unicode.Scalar>,
        _ table: UnsafeMutableBufferPointer<Int>, width: Int, limit: Int
    ) -> Int? {
        var previous = 0
        var current = width
        for j in 0..<width { table[j] = j }
        for i in 0..<a.count {
            let left = a[i]
            table[current] = i + 1
            var rowMinimum = i + 1
            for j in 0..<b.count {
                let substitution = table[previous + j] + (left == b[j] ? 0 : 1)
                let cell = Swift.min(substitution, table[previous + j + 1] + 1, table[current + j] + 1)
                table[current + j + 1] = cell
                if cell < rowMinimum { rowMinimum = cell }
            }
            // Distances never shrink from one row to the next.
            if rowMinimum > limit { return nil }
            swap(&previous, &current)
        }
        return table[previous + b.count]
    }
}
