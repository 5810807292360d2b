/// Levenshtein distance, for forgiving small typos in item names.
package enum EditDistance {
    /// Insertions, deletions and substitutions needed to turn `a` into `b`.
    /// Two rows of memory; O(|a|·|b|) time, so callers keep inputs short.
    package static func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for (i, left) in a.enumerated() {
            current[0] = i + 1
            for (j, right) in b.enumerated() {
                let substitution = previous[j] + (left == right ? 0 : 1)
                current[j + 1] = min(substitution, previous[j + 1] + 1, current[j] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// 1 for equal strings, 0 for nothing in common: 1 − distance / longer length.
    package static func similarity(_ a: String, _ b: String) -> Double {
        let left = Array(a.unicodeScalars)
        let right = Array(b.unicodeScalars)
        let longer = max(left.count, right.count)
        guard longer > 0 else { return 1 }
        return 1 - Double(levenshtein(left, right)) / Double(longer)
    }

    /// The best `similarity` could possibly be, from the lengths alone:
    /// lets a caller skip pairs that cannot reach its threshold.
    static func similarityBound(_ a: String, _ b: String) -> Double {
        let left = a.unicodeScalars.count
        let right = b.unicodeScalars.count
        let longer = max(left, right)
        guard longer > 0 else { return 1 }
        return 1 - Double(abs(left - right)) / Double(longer)
    }
}
