import Foundation
import HTTPServer
import Platform

/// The gateway's names for `WireJSON`, the one JSON dialect of every Banyan
/// body, and the JSON response a route returns.
enum JSONCoding {
    static var decoder: JSONDecoder { WireJSON.decoder }

    static var encoder: JSONEncoder { WireJSON.encoder }

    static func response<T: Encodable>(_ value: T, status: Int = 200) throws -> HTTPResponse {
        HTTPResponse.json(status, try WireJSON.encode(value))
    }
}
