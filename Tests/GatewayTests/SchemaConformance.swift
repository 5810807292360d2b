import Foundation

/// Checks a JSON value against a schema of the OpenAPI document, for the
/// subset of JSON Schema the gateway writes (`$ref` with sibling
/// `properties`, `anyOf`, `type`, `enum`, `properties`/`required`, `items`,
/// `additionalProperties`). Returns what does not conform, one line each.
struct SchemaConformance {
    /// The document's `components.schemas`.
    let components: [String: Any]

    init(document: [String: Any]) {
        components = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
    }

    func violations(of value: Any, against schema: [String: Any], at path: String = "$") -> [String] {
        var found: [String] = []
        if let reference = schema["$ref"] as? String {
            let name = String(reference.dropFirst("#/components/schemas/".count))
            guard let target = components[name] as? [String: Any] else { return ["\(path): unknown \(reference)"] }
            found += violations(of: value, against: target, at: path)
        }
        if let choices = schema["anyOf"] as? [[String: Any]],
            !choices.contains(where: { violations(of: value, against: $0, at: path).isEmpty })
        {
            found.append("\(path): matches none of anyOf")
        }
        if let type = schema["type"] as? String, !Self.isOfType(value, type) {
            found.append("\(path): \(Self.describe(value)) is not a \(type)")
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            found.append("\(path): \(value) is not one of \(allowed)")
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                found.append("\(path).\(name): is required")
            }
            for (name, member) in object {
                if let property = properties[name] as? [String: Any] {
                    found += violations(of: member, against: property, at: "\(path).\(name)")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    found += violations(of: member, against: additional, at: "\(path).\(name)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() {
                found += violations(of: element, against: items, at: "\(path)[\(index)]")
            }
        }
        return found
    }

    private static func isOfType(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "object": value is [String: Any]
        case "array": value is [Any]
        case "string": value is String
        case "null": value is NSNull
        case "boolean": (value as? NSNumber).map(isBoolean) ?? false
        case "integer":
            (value as? NSNumber).map { !isBoolean($0) && $0.doubleValue.rounded() == $0.doubleValue } ?? false
        case "number": (value as? NSNumber).map { !isBoolean($0) } ?? false
        default: false
        }
    }

    /// JSONSerialization reads `true` and `false` as a subclass of NSNumber of their own.
    private static func isBoolean(_ number: NSNumber) -> Bool {
        type(of: number) == type(of: NSNumber(value: true))
    }

    private static func describe(_ value: Any) -> String {
        let text = "\(value)"
        return text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}
