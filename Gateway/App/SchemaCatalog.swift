import Foundation
import Platform

/// The JSON Schemas of the types the routes take and answer, derived from
/// the Codable types themselves so the API document cannot drift from them.
///
/// Each type's own `init(from:)` runs against a `SchemaDecoder`, which hands
/// it placeholder values and writes down what it reads: the wire names of
/// its keys, which it reads with `decodeIfPresent` (optional: absent or
/// null), the type of each, nested objects and arrays. Dates are date-time
/// strings (the gateway's JSON is ISO 8601); `JSONValue` is any JSON; an
/// enum must be `CaseIterable` so its raw values can be listed (and its
/// decoder handed a valid one).
///
/// Why a decoder rather than sample values or `Mirror`: `Mirror` sees stored
/// properties, not coding keys, and a sample leaves nil optionals and empty
/// arrays unexplained. The decoder asks the type what it reads, and it
/// reads the same way when a real request arrives.
///
/// Built once, when the route table is; not thread-safe and need not be.
final class SchemaCatalog {
    /// Component name → schema, for `#/components/schemas`.
    private(set) var components: [String: JSONSchema] = [:]
    /// Each walked type's placeholder value and schema, for its next appearance.
    private var walked: [ObjectIdentifier: (value: Any, schema: JSONSchema)] = [:]
    private var inProgress: Set<ObjectIdentifier> = []

    /// The schema of `type`: a reference to a component for objects and enums, inline for the rest.
    func schema<T: Decodable>(for type: T.Type) throws(SchemaDerivationError) -> JSONSchema {
        try walk(type, at: []).schema
    }

    /// Learns `type`'s schema and makes a placeholder value of it, for the container that asked.
    func walk<T: Decodable>(_ type: T.Type, at path: [any CodingKey]) throws(SchemaDerivationError) -> (
        value: T, schema: JSONSchema
    ) {
        if let leaf = Self.leaves[ObjectIdentifier(type)] { return (leaf.value as! T, leaf.schema) }
        if let optional = type as? any OptionalSchema.Type {
            return (optional.absent as! T, .nullable(try walkWrapped(optional.wrapped, at: path)))
        }
        if let dictionary = type as? any StringKeyedSchema.Type {
            return (dictionary.empty as! T, .dictionary(of: try walkWrapped(dictionary.valueType, at: path)))
        }
        let id = ObjectIdentifier(type)
        if let known = walked[id] { return (known.value as! T, known.schema) }
        if let (firstCase, rawValues) = Self.enumeration(type) {
            let name = componentName(type)
            components[name] = .enumeration(rawValues)
            walked[id] = (firstCase, .reference(name))
            return (firstCase as! T, .reference(name))
        }
        guard inProgress.insert(id).inserted else {
            throw SchemaDerivationError(type, at: path, "it contains itself; describe it without recursion")
        }
        defer { inProgress.remove(id) }

        let decoder = SchemaDecoder(catalog: self, codingPath: path)
        let value: T
        do {
            value = try T(from: decoder)
        } catch let error as SchemaDerivationError {
            throw error
        } catch {
            let hint = type is any RawRepresentable.Type ? "; make it CaseIterable" : ""
            throw SchemaDerivationError(type, at: path, "its init(from:) refused a placeholder value (\(error))\(hint)")
        }
        let schema: JSONSchema
        // A type that reads nothing (`struct Empty: Codable {}`) is an object without properties.
        switch decoder.shape ?? .object(ObjectRecord()) {
        case .object(let record):
            let name = componentName(type)
            components[name] = record.schema
            schema = .reference(name)
        case .array(let record): schema = record.schema
        case .single(let single): schema = single
        }
        walked[id] = (value, schema)
        return (value, schema)
    }

    private func walkWrapped<T: Decodable>(_ type: T.Type, at path: [any CodingKey]) throws(SchemaDerivationError)
        -> JSONSchema
    {
        try walk(type, at: path).schema
    }

    /// `OrdersAPI.Order.Status` → `Order.Status`; a route file's namespace
    /// (`PaymentRoutes.PaymentList`) is dropped too. Unique: a second type
    /// with the same short name keeps its module.
    private func componentName(_ type: Any.Type) -> String {
        let full = String(reflecting: type).split(separator: ".").filter { !$0.hasPrefix("(") }
        let short = full.dropFirst().drop { $0.hasSuffix("Routes") }.joined(separator: ".")
        return components[short] == nil ? short : full.joined(separator: ".")
    }

    /// The first case and every raw value of a `CaseIterable` enum with String raw values.
    private static func enumeration(_ type: Any.Type) -> (first: Any, rawValues: [String])? {
        guard let iterable = type as? any CaseIterable.Type else { return nil }
        func cases<E: CaseIterable>(_: E.Type) -> [Any] { Array(E.allCases) }
        let all = cases(iterable)
        let rawValues = all.compactMap { ($0 as? any RawRepresentable)?.rawValue as? String }
        guard let first = all.first, rawValues.count == all.count else { return nil }
        return (first, rawValues)
    }

    /// The values a wire type bottoms out in, with a placeholder each.
    private static let leaves: [ObjectIdentifier: (value: any Sendable, schema: JSONSchema)] = [
        ObjectIdentifier(String.self): ("", .string()),
        ObjectIdentifier(Bool.self): (false, .boolean),
        ObjectIdentifier(Int.self): (0, .integer(format: "int64")),
        ObjectIdentifier(Int64.self): (Int64(0), .integer(format: "int64")),
        ObjectIdentifier(Int32.self): (Int32(0), .integer(format: "int32")),
        ObjectIdentifier(Int16.self): (
            Int16(0), .integer(format: "int32", minimum: Int(Int16.min), maximum: Int(Int16.max))
        ),
        ObjectIdentifier(Int8.self): (
            Int8(0), .integer(format: "int32", minimum: Int(Int8.min), maximum: Int(Int8.max))
        ),
        ObjectIdentifier(UInt.self): (UInt(0), .integer(format: "int64", minimum: 0)),
        ObjectIdentifier(UInt64.self): (UInt64(0), .integer(format: "int64", minimum: 0)),
        ObjectIdentifier(UInt32.self): (UInt32(0), .integer(format: "int64", minimum: 0, maximum: Int(UInt32.max))),
        ObjectIdentifier(UInt16.self): (UInt16(0), .integer(format: "int32", minimum: 0, maximum: Int(UInt16.max))),
        ObjectIdentifier(UInt8.self): (UInt8(0), .integer(format: "int32", minimum: 0, maximum: Int(UInt8.max))),
        ObjectIdentifier(Double.self): (0.0, .number),
        ObjectIdentifier(Float.self): (Float(0), .number),
        ObjectIdentifier(Date.self): (Date(timeIntervalSince1970: 0), .string(format: "date-time")),
        ObjectIdentifier(UUID.self): (UUID(), .string(format: "uuid")),
        ObjectIdentifier(JSONValue.self): (JSONValue.null, .any),
    ]
}

/// A wire type whose schema could not be learned, with where it sits and why.
struct SchemaDerivationError: Error, CustomStringConvertible {
    let description: String

    init(_ type: Any.Type, at path: [any CodingKey], _ reason: String) {
        let place = path.isEmpty ? "" : " at \(path.map(\.stringValue).joined(separator: "."))"
        description = "cannot derive the JSON Schema of \(String(reflecting: type))\(place): \(reason)"
    }
}

/// `T?` is T or null; its placeholder is nil.
private protocol OptionalSchema {
    static var wrapped: any Decodable.Type { get }
    static var absent: Self { get }
}

extension Optional: OptionalSchema where Wrapped: Decodable {
    fileprivate static var wrapped: any Decodable.Type { Wrapped.self }
    fileprivate static var absent: Self { nil }
}

/// `[String: V]` is an object whose keys are data; its decoder would ask
/// only for the keys it finds, so it is described without running it.
private protocol StringKeyedSchema {
    static var valueType: any Decodable.Type { get }
    static var empty: Self { get }
}

extension Dictionary: StringKeyedSchema where Key == String, Value: Decodable {
    fileprivate static var valueType: any Decodable.Type { Value.self }
    fileprivate static var empty: Self { [:] }
}
