/// The decoder `SchemaCatalog` runs a type's `init(from:)` against: every
/// value asked for is answered with a placeholder (`SchemaCatalog.walk`),
/// and every ask is written down as the shape of the JSON the type reads.
///
/// Each key exists (`contains` is true, `decodeNil` false), so a custom
/// decoder takes the path a full value takes; `decodeIfPresent` is how a
/// key says it is optional.
final class SchemaDecoder: Decoder {
    enum Shape {
        case object(ObjectRecord)
        case array(ArrayRecord)
        case single(JSONSchema)
    }

    let catalog: SchemaCatalog
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What the type asked for; nil until it asks.
    fileprivate(set) var shape: Shape?

    init(catalog: SchemaCatalog, codingPath: [any CodingKey]) {
        self.catalog = catalog
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
        let record: ObjectRecord
        if case .object(let existing) = shape { record = existing } else { record = ObjectRecord() }
        shape = .object(record)
        return KeyedDecodingContainer(KeyedRecorder(catalog: catalog, record: record, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedDecodingContainer {
        let record = ArrayRecord()
        shape = .array(record)
        return UnkeyedRecorder(catalog: catalog, record: record, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueDecodingContainer {
        SingleValueRecorder(decoder: self)
    }
}

/// The members an object type reads, in the order it reads them.
final class ObjectRecord {
    private var members: [(name: String, required: Bool, schema: () -> JSONSchema)] = []

    /// `schema` is asked for at the end: a nested container is filled after it is handed out.
    func add(_ name: String, required: Bool, _ schema: @escaping () -> JSONSchema) {
        members.removeAll { $0.name == name }
        members.append((name, required, schema))
    }

    var schema: JSONSchema {
        .object(
            members.map { member in
                let schema = member.schema()
                return .init(
                    name: member.name, schema: member.required ? schema : .nullable(schema), required: member.required)
            })
    }
}

/// The element type an array reads.
final class ArrayRecord {
    fileprivate var items: () -> JSONSchema = { .any }

    var schema: JSONSchema { .array(of: items()) }
}

private struct KeyedRecorder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let catalog: SchemaCatalog
    let record: ObjectRecord
    let codingPath: [any CodingKey]
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) -> Bool { false }

    private func read<T: Decodable>(_ type: T.Type, _ key: Key, required: Bool) throws -> T {
        let (value, schema) = try catalog.walk(type, at: codingPath + [key])
        record.add(key.stringValue, required: required) { schema }
        return value
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try read(type, key, required: true) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try read(type, key, required: true) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try read(type, key, required: true) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try read(type, key, required: true) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try read(type, key, required: true) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try read(type, key, required: true) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try read(type, key, required: true) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try read(type, key, required: true) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try read(type, key, required: true) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try read(type, key, required: true) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try read(type, key, required: true) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try read(type, key, required: true) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try read(type, key, required: true) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try read(type, key, required: true) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try read(type, key, required: true) }

    // The library's defaults would ask `contains` and `decodeNil` and lose the optionality.
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try read(type, key, required: false)
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try read(type, key, required: false) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try read(type, key, required: false)
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try read(type, key, required: false)
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try read(type, key, required: false) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try read(type, key, required: false) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try read(type, key, required: false) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try read(type, key, required: false) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try read(type, key, required: false) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try read(type, key, required: false) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try read(type, key, required: false) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try read(type, key, required: false) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? {
        try read(type, key, required: false)
    }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? {
        try read(type, key, required: false)
    }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
        try read(type, key, required: false)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key)
        -> KeyedDecodingContainer<NestedKey>
    {
        let nested = ObjectRecord()
        record.add(key.stringValue, required: true) { nested.schema }
        return KeyedDecodingContainer(
            KeyedRecorder<NestedKey>(catalog: catalog, record: nested, codingPath: codingPath + [key]))
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedDecodingContainer {
        let nested = ArrayRecord()
        record.add(key.stringValue, required: true) { nested.schema }
        return UnkeyedRecorder(catalog: catalog, record: nested, codingPath: codingPath + [key])
    }

    func superDecoder() throws -> any Decoder { try superDecoder(forKey: Key(stringValue: "super")!) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        throw SchemaDerivationError(Key.self, at: codingPath + [key], "a super decoder cannot be described")
    }
}

/// An array: one element is enough to learn the element type.
private struct UnkeyedRecorder: UnkeyedDecodingContainer {
    let catalog: SchemaCatalog
    let record: ArrayRecord
    let codingPath: [any CodingKey]
    var count: Int? { 1 }
    var isAtEnd: Bool { currentIndex >= 1 }
    private(set) var currentIndex = 0

    init(catalog: SchemaCatalog, record: ArrayRecord, codingPath: [any CodingKey]) {
        self.catalog = catalog
        self.record = record
        self.codingPath = codingPath
    }

    mutating func decodeNil() -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, schema) = try catalog.walk(type, at: codingPath + [ElementKey(intValue: currentIndex)])
        record.items = { schema }
        currentIndex += 1
        return value
    }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try element(type) }
    mutating func decode(_ type: String.Type) throws -> String { try element(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try element(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try element(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try element(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try element(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try element(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try element(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try element(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try element(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try element(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try element(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try element(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try element(type) }

    private mutating func element<T: Decodable>(_ type: T.Type) throws -> T { try decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) -> KeyedDecodingContainer<
        NestedKey
    > {
        let nested = ObjectRecord()
        record.items = { nested.schema }
        currentIndex += 1
        return KeyedDecodingContainer(
            KeyedRecorder<NestedKey>(catalog: catalog, record: nested, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedDecodingContainer {
        let nested = ArrayRecord()
        record.items = { nested.schema }
        currentIndex += 1
        return UnkeyedRecorder(catalog: catalog, record: nested, codingPath: codingPath)
    }

    mutating func superDecoder() throws -> any Decoder {
        throw SchemaDerivationError(Any.self, at: codingPath, "a super decoder cannot be described")
    }
}

/// A type that is one value on the wire (a wrapper around a string, say).
private struct SingleValueRecorder: SingleValueDecodingContainer {
    let decoder: SchemaDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, schema) = try decoder.catalog.walk(type, at: codingPath)
        decoder.shape = .single(schema)
        return value
    }
    func decode(_ type: Bool.Type) throws -> Bool { try value(type) }
    func decode(_ type: String.Type) throws -> String { try value(type) }
    func decode(_ type: Double.Type) throws -> Double { try value(type) }
    func decode(_ type: Float.Type) throws -> Float { try value(type) }
    func decode(_ type: Int.Type) throws -> Int { try value(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try value(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try value(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try value(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try value(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try value(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try value(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try value(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try value(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try value(type) }

    private func value<T: Decodable>(_ type: T.Type) throws -> T { try decode(type) }
}

private struct ElementKey: CodingKey {
    let intValue: Int?
    var stringValue: String { String(intValue ?? 0) }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}
