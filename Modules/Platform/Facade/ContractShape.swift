import Platform

/// The JSON shape of a contract sample: every key with its JSON type,
/// recursively, keys sorted, as compact JSON text.
///
///     {"amount_cents":"integer","lines":[{"sku":"string"}],"paid":"boolean"}
///
/// Arrays show the shapes of their elements (distinct, sorted; `[]` when the
/// sample's array was empty), so a sample should fill every optional field
/// and put one element in every array: what it leaves out is not in the
/// contract and cannot be noticed when it changes.
enum ContractShape {
    static func of<Value: Encodable>(_ value: Value) -> String {
        guard let bytes = try? WireJSON.encode(value), let json = try? WireJSON.decode(JSONValue.self, from: bytes)
        else {
            // A sample that cannot be encoded could not be sent either.
            preconditionFailure("contract sample of \(Value.self) does not encode as JSON")
        }
        return shape(json)
    }

    static func shape(_ value: JSONValue) -> String {
        switch value {
        case .null: return "\"null\""
        case .bool: return "\"boolean\""
        case .int: return "\"integer\""
        case .double: return "\"number\""
        case .string: return "\"string\""
        case .array(let elements):
            return "[" + Set(elements.map(shape)).sorted().joined(separator: ",") + "]"
        case .object(let members):
            var out = "{"
            for (position, key) in members.keys.sorted().enumerated() {
                if position > 0 { out += "," }
                JSONText.appendString(key, to: &out)
                out += ":" + shape(members[key]!)
            }
            return out + "}"
        }
    }
}
