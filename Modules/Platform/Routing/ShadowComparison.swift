import Platform

/// Two JSON answers to the same read — the in-process one and the
/// service's — compared field by field, as a shadowed module's reads are.
///
/// Both trees are walked together. Objects are compared by key set and then
/// member by member, arrays by length and then index by index; every leaf
/// that differs, and every member or element only one side has, is one
/// `Difference` at its path: `.payments[0].amount_cents`, `[2]` for an
/// element of a top-level array, the empty path for the answer itself.
/// Numbers are compared by value, so `1` and `1.0` agree.
///
/// Volatile fields are **key names**, not paths: an object member whose key
/// is in `volatile` is skipped wherever it appears (at any depth, in any of
/// the module's reads), on both sides, present or not. A module declares
/// them once (`ModuleInterface.volatileFields`) for values that legitimately
/// differ per call — a timestamp stamped when the answer is made — so names
/// suit better than one path per operation.
///
///     let found = ShadowComparison.differences(
///         inProcess: .object(["amount_cents": .int(500)]), service: .object(["amount_cents": .int(501)]))
///     // [.amount_cents: 500 ≠ 501]
package enum ShadowComparison {
    /// One place where the answers differ. A nil side means the member or
    /// element is absent there (not JSON `null`, which is `.null`).
    package struct Difference: Sendable, Equatable, CustomStringConvertible {
        package let path: String
        package let inProcess: JSONValue?
        package let service: JSONValue?

        package init(path: String, inProcess: JSONValue?, service: JSONValue?) {
            self.path = path
            self.inProcess = inProcess
            self.service = service
        }

        package var description: String {
            "\(path.isEmpty ? "(answer)" : path): \(Self.text(inProcess)) ≠ \(Self.text(service))"
        }

        private static func text(_ value: JSONValue?) -> String {
            guard let value else { return "(absent)" }
            var out = ""
            value.write(to: &out)
            return out
        }
    }

    /// Every difference, in document order (keys sorted); at most `limit`,
    /// so two unrelated answers cannot fill memory with a diff per leaf.
    package static func differences(
        inProcess: JSONValue, service: JSONValue, volatile: Set<String> = [], limit: Int = 50
    ) -> (found: [Difference], total: Int) {
        var walk = Walk(volatile: volatile, limit: limit)
        walk.compare(inProcess, service, at: "")
        return (walk.found, walk.total)
    }

    private struct Walk {
        let volatile: Set<String>
        let limit: Int
        var found: [Difference] = []
        var total = 0

        mutating func note(_ path: String, _ inProcess: JSONValue?, _ service: JSONValue?) {
            total += 1
            if found.count < limit { found.append(Difference(path: path, inProcess: inProcess, service: service)) }
        }

        mutating func compare(_ left: JSONValue, _ right: JSONValue, at path: String) {
            switch (left, right) {
            case (.object(let a), .object(let b)):
                for key in Set(a.keys).union(b.keys).sorted() where !volatile.contains(key) {
                    let child = path + "." + key
                    switch (a[key], b[key]) {
                    case (let x?, let y?): compare(x, y, at: child)
                    case (let x, let y): note(child, x, y)
                    }
                }
            case (.array(let a), .array(let b)):
                for index in 0..<max(a.count, b.count) {
                    let child = path + "[\(index)]"
                    if index < a.count, index < b.count {
                        compare(a[index], b[index], at: child)
                    } else {
                        note(child, index < a.count ? a[index] : nil, index < b.count ? b[index] : nil)
                    }
                }
            default:
                if !Self.sameLeaf(left, right) { note(path, left, right) }
            }
        }

        private static func sameLeaf(_ left: JSONValue, _ right: JSONValue) -> Bool {
            switch (left, right) {
            case (.int(let a), .double(let b)), (.double(let b), .int(let a)): Double(a) == b
            default: left == right
            }
        }
    }
}
