import Foundation
import Platform

/// Just enough of JSON Schema 2020-12 to run flags.schema.json itself on
/// sample documents, so a test can compare the schema's verdict with the
/// parser's instead of comparing the parser with a reading of the schema.
///
/// Any keyword it does not implement is an error, not a pass: the schema
/// cannot grow a rule this would silently ignore. Instances are read with
/// `StrictJSON`, which, unlike Foundation, tells booleans from numbers.
struct SchemaSubset {
    struct Unsupported: Error, CustomStringConvertible {
        let description: String
    }

    let root: [String: Any]

    /// Keywords that say nothing about validity.
    private static let annotations: Set = ["$schema", "$defs", "title", "description", "examples"]

    func accepts(_ instance: StrictJSON.Node) throws -> Bool {
        try valid(instance, against: root)
    }

    private func valid(_ node: StrictJSON.Node, against schema: [String: Any]) throws -> Bool {
        for (keyword, value) in schema where !Self.annotations.contains(keyword) {
            guard try check(keyword, value, node, schema) else { return false }
        }
        return true
    }

    private func check(_ keyword: String, _ value: Any, _ node: StrictJSON.Node, _ schema: [String: Any]) throws -> Bool {
        let members: [(key: String, value: StrictJSON.Node)]? = if case .object(let members) = node { members } else { nil }
        switch keyword {
        case "$ref":
            return try valid(node, against: try resolve(value))
        case "type":
            return try has(node, type: try cast(value, String.self, keyword))
        case "enum":
            guard case .string(let text) = node else { return false }
            return try cast(value, [String].self, keyword).contains(text)
        case "const":
            guard case .string(let text) = node else { return false }
            return try cast(value, String.self, keyword) == text
        case "pattern":
            guard case .string(let text) = node else { return true }
            // Every pattern in the schema is anchored; matching the whole
            // string keeps ICU's `$` (true before a final newline) from differing from ECMA-262's.
            let expression = try NSRegularExpression(pattern: try cast(value, String.self, keyword))
            let range = NSRange(text.startIndex..., in: text)
            return expression.firstMatch(in: text, range: range)?.range == range
        case "minimum", "maximum":
            let bound = try cast(value, NSNumber.self, keyword).intValue
            switch node {
            case .integer(let number): return keyword == "minimum" ? number >= bound : number <= bound
            case .number: throw Unsupported(description: "\(keyword) of a number that is not a plain integer")
            default: return true
            }
        case "properties":
            guard let members else { return true }
            let properties = try cast(value, [String: Any].self, keyword)
            for member in members {
                if let property = properties[member.key], try !valid(member.value, against: try cast(property, [String: Any].self, member.key)) {
                    return false
                }
            }
            return true
        case "additionalProperties":
            guard let members else { return true }
            let named = Set(((schema["properties"] as? [String: Any]) ?? [:]).keys)
            let others = members.filter { !named.contains($0.key) }
            if let subschema = value as? [String: Any] {
                return try others.allSatisfy { try valid($0.value, against: subschema) }
            }
            return try cast(value, Bool.self, keyword) || others.isEmpty
        case "propertyNames":
            guard let members else { return true }
            let subschema = try cast(value, [String: Any].self, keyword)
            return try members.allSatisfy { try valid(.string($0.key), against: subschema) }
        case "required":
            guard let members else { return true }
            let keys = Set(members.map(\.key))
            return try cast(value, [String].self, keyword).allSatisfy(keys.contains)
        case "minProperties", "maxProperties":
            guard let members else { return true }
            let bound = try cast(value, NSNumber.self, keyword).intValue
            return keyword == "minProperties" ? members.count >= bound : members.count <= bound
        case "if":
            let branch = try valid(node, against: try cast(value, [String: Any].self, keyword)) ? "then" : "else"
            guard let next = schema[branch] else { return true }
            return try valid(node, against: try cast(next, [String: Any].self, branch))
        case "then", "else":
            return true  // applied by "if"
        case "allOf":
            return try cast(value, [Any].self, keyword).allSatisfy { try valid(node, against: try cast($0, [String: Any].self, keyword)) }
        default:
            throw Unsupported(description: "keyword \(keyword)")
        }
    }

    private func has(_ node: StrictJSON.Node, type: String) throws -> Bool {
        switch (type, node) {
        case ("object", .object), ("string", .string), ("integer", .integer): return true
        case ("integer", .number): throw Unsupported(description: "whether a number written with a fraction or exponent is an integer")
        case ("object", _), ("string", _), ("integer", _): return false
        default: throw Unsupported(description: "type \(type)")
        }
    }

    private func resolve(_ reference: Any) throws -> [String: Any] {
        let prefix = "#/$defs/"
        guard let text = reference as? String, text.hasPrefix(prefix),
            let target = (root["$defs"] as? [String: Any])?[String(text.dropFirst(prefix.count))] as? [String: Any]
        else { throw Unsupported(description: "$ref \(reference)") }
        return target
    }

    private func cast<T>(_ value: Any, _ type: T.Type, _ keyword: String) throws -> T {
        guard let typed = value as? T else { throw Unsupported(description: "\(keyword) of \(value)") }
        return typed
    }
}
