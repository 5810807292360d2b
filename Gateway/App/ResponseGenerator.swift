import HTTPServer
import Platform

/// What a route handler returns when a plain `Codable` value (200 JSON) is
/// not the whole answer: `Created`, `NoContent`, a checkout's 201 or 202.
/// Like Hummingbird's `ResponseGenerator`, it knows how to become a
/// response; it also tells the API documentation which answers it can be.
protocol ResponseGenerator: Sendable {
    /// The answers a value of this type can be, read once when the route table is built.
    static var responses: [ResponseDocumentation] { get }

    func response() throws -> HTTPResponse
}

/// 201 with the created thing as JSON.
struct Created<Body: Codable & Sendable>: ResponseGenerator {
    let body: Body

    init(_ body: Body) { self.body = body }

    static var responses: [ResponseDocumentation] { [.json(201, Body.self)] }

    func response() throws -> HTTPResponse { try JSONCoding.response(body, status: 201) }
}

/// 204 without a body.
struct NoContent: ResponseGenerator {
    static var responses: [ResponseDocumentation] {
        [ResponseDocumentation(status: 204, description: "Done", body: nil)]
    }

    func response() -> HTTPResponse { HTTPResponse(status: 204) }
}

/// 200 with JSON written before the request came (`/health`) or by hand on
/// a hot path (`/auth/me`); `Schema` is the type the bytes are a value of,
/// for the documentation (a test decodes the bytes with it).
struct PreEncodedJSON<Schema: Decodable & Sendable>: ResponseGenerator {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Encodes `value` now, once, so no request pays for it.
    init(encoding value: Schema) where Schema: Encodable {
        do {
            bytes = try WireJSON.encode(value)
        } catch {
            preconditionFailure("\(Schema.self) cannot be encoded: \(error)")
        }
    }

    static var responses: [ResponseDocumentation] { [.json(200, Schema.self)] }

    func response() -> HTTPResponse { .json(200, bytes) }
}
