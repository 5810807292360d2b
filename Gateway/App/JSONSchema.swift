import Platform

/// A JSON Schema (the 2020-12 dialect OpenAPI 3.1 uses), for the shapes
/// Banyan's wire types take. `SchemaCatalog` derives them from the Codable
/// types; `OpenAPIDocument` and `APIReferencePage` show them.
indirect enum JSONSchema: Equatable, Sendable {
    struct Property: Equatable, Sendable {
        let name: String
        let schema: JSONSchema
        /// False for keys the type decodes with `decodeIfPresent`: absent or null.
        let required: Bool
    }

    /// `format`: `date-time`, `uuid`, … or nil.
    case string(format: String? = nil)
    /// `format`: `int32` or `int64`.
    case integer(format: String, minimum: Int? = nil, maximum: Int? = nil)
    case number
    case boolean
    /// Any JSON value (`JSONValue`: the chat assistant's data, event payloads).
    case any
    case array(of: JSONSchema)
    /// An object whose keys are data, not names (`[String: V]`).
    case dictionary(of: JSONSchema)
    /// Properties in the order the type decodes them.
    case object([Property])
    /// The raw values of a `CaseIterable` enum.
    case enumeration([String])
    /// A component under `#/components/schemas/`.
    case reference(String)
    /// The value, or JSON null.
    case nullable(JSONSchema)

    /// The schema as JSON, ready to go into the document.
    var json: JSONValue {
        switch self {
        case .string(let format):
            var members: [String: JSONValue] = ["type": .string("string")]
            if let format { members["format"] = .string(format) }
            return .object(members)
        case .integer(let format, let minimum, let maximum):
            var members: [String: JSONValue] = ["type": .string("integer"), "format": .string(format)]
            if let minimum { members["minimum"] = .int(Int64(minimum)) }
            if let maximum { members["maximum"] = .int(Int64(maximum)) }
            return .object(members)
        case .number: return .object(["type": .string("number")])
        case .boolean: return .object(["type": .string("boolean")])
        case .any: return .object([:])
        case .array(let items): return .object(["type": .string("array"), "items": items.json])
        case .dictionary(let values): return .object(["type": .string("object"), "additionalProperties": values.json])
        case .object(let properties):
            var members: [String: JSONValue] = [
                "type": .string("object"),
                "properties": .object(Dictionary(uniqueKeysWithValues: properties.map { ($0.name, $0.schema.json) })),
            ]
            let required = properties.filter(\.required).map { JSONValue.string($0.name) }
            if !required.isEmpty { members["required"] = .array(required) }
            return .object(members)
        case .enumeration(let values):
            return .object(["type": .string("string"), "enum": .array(values.map { .string($0) })])
        case .reference(let name): return .object(["$ref": .string(Self.componentPrefix + name)])
        case .nullable(let schema):
            return .object(["anyOf": .array([schema.json, .object(["type": .string("null")])])])
        }
    }

    static let componentPrefix = "#/components/schemas/"
}
