import Platform

/// What a Codable type's decoder demands of its JSON, found by trying it:
/// the sample's JSON is decoded again with one key removed (the key is
/// optional when that still decodes) or with one unknown key added (the
/// object is closed when that no longer decodes). A sample cannot tell an
/// optional field from a required one; the type's own decoder can.
///
/// Paths name object members from the body's root: `.payment.amount_cents`,
/// `.lines[].sku` (every element of an array), `[].key` (a body that is an
/// array); the body itself is the empty path.
///
/// `WireJSON`'s decoder (Foundation's `JSONDecoder`) ignores keys a type does
/// not know and lets a synthesized `Codable` omit an `Optional` member, so
/// every synthesized type has its `Optional` members optional and no closed
/// objects; a hand-written `init(from:)` may differ, and the probe sees it.
enum ContractRequiredness {
    /// Paths of the members of `sample`'s JSON that `Value` decodes without,
    /// and paths of the objects that refuse an unknown key; nil when the
    /// sample's own JSON does not decode as `Value` (nothing can be learnt).
    static func probe<Value: Codable>(_ sample: Value, as _: Value.Type = Value.self)
        -> (optional: [String], closed: [String])?
    {
        guard let bytes = try? WireJSON.encode(sample), let json = try? WireJSON.decode(JSONValue.self, from: bytes)
        else { return nil }
        func decodes(_ candidate: JSONValue) -> Bool {
            guard let bytes = try? WireJSON.encode(candidate) else { return false }
            return (try? WireJSON.decode(Value.self, from: bytes)) != nil
        }
        guard decodes(json) else { return nil }
        var optional: [String] = []
        var closed: [String] = []
        for (steps, keys) in objects(in: json, at: []) {
            for key in keys {
                let without = edit(json, at: steps) { $0[key] = nil }
                if decodes(without) { optional.append(path(steps) + "." + key) }
            }
            let stranger = edit(json, at: steps) { members in
                let key = unknownKey(avoiding: members)
                members[key] = .bool(true)
            }
            if !decodes(stranger) { closed.append(path(steps)) }
        }
        return (optional.sorted(), closed.sorted())
    }

    /// One step from an object down to a member, or into every element of an array.
    enum Step: Equatable {
        case member(String)
        case elements
    }

    static func path(_ steps: [Step]) -> String {
        steps.map { step in
            switch step {
            case .member(let key): "." + key
            case .elements: "[]"
            }
        }.joined()
    }

    /// Every object reachable in `value` (through every element of arrays),
    /// once per path, with its keys sorted.
    private static func objects(in value: JSONValue, at steps: [Step]) -> [([Step], [String])] {
        switch value {
        case .object(let members):
            var found = [(steps, members.keys.sorted())]
            for key in members.keys.sorted() {
                found += objects(in: members[key]!, at: steps + [.member(key)])
            }
            return found
        case .array(let elements):
            // Each element path once: a sample's elements share their paths.
            var found: [([Step], [String])] = []
            for element in elements {
                for (elementSteps, keys) in objects(in: element, at: steps + [.elements]) {
                    if let index = found.firstIndex(where: { $0.0 == elementSteps }) {
                        found[index].1 = Array(Set(found[index].1).intersection(keys)).sorted()
                    } else {
                        found.append((elementSteps, keys))
                    }
                }
            }
            return found
        default:
            return []
        }
    }

    /// `value` with `change` applied to the object(s) at `steps`.
    private static func edit(
        _ value: JSONValue, at steps: [Step], _ change: (inout [String: JSONValue]) -> Void
    ) -> JSONValue {
        guard let step = steps.first else {
            guard case .object(var members) = value else { return value }
            change(&members)
            return .object(members)
        }
        let rest = Array(steps.dropFirst())
        switch (step, value) {
        case (.member(let key), .object(var members)):
            if let member = members[key] { members[key] = edit(member, at: rest, change) }
            return .object(members)
        case (.elements, .array(let elements)):
            return .array(elements.map { edit($0, at: rest, change) })
        default:
            return value
        }
    }

    private static func unknownKey(avoiding members: [String: JSONValue]) -> String {
        var key = "banyan_unknown_key"
        while members[key] != nil { key += "_" }
        return key
    }
}
