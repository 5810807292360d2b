import Foundation

/// The one JSON dialect Banyan writes and reads wherever its values leave a
/// process: the gateway's bodies, the facade's calls between processes, and
/// the outbox's stored event payloads. ISO 8601 dates in whole seconds
/// (`2026-12-01T18:22:05Z`), keys sorted (the same value is the same bytes,
/// which diffs and signatures like), `/` unescaped.
///
/// Payloads already stored and peers not yet upgraded stay readable: the
/// three places used exactly this date format before they shared it.
///
///     let body = try WireJSON.encode(order)
///     let request = try WireJSON.decodeBody(PlaceOrder.self, from: request.body)
public enum WireJSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    public static func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        Array(try encoder.encode(value))
    }

    public static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        try decoder.decode(type, from: Data(bytes))
    }

    /// Decodes a request body; one that does not decode is answered the same
    /// way at every door (see `Problem.init(undecodableBody:)`).
    public static func decodeBody<Value: Decodable>(_ type: Value.Type, from body: [UInt8]) throws -> Value {
        do {
            return try decode(type, from: body)
        } catch let error as DecodingError {
            throw Problem(undecodableBody: error)
        }
    }
}
