import Foundation
import HTTPServer
import Platform

/// The JSON response a route returns, in `WireJSON`, the one JSON dialect of
/// every Banyan body.
enum JSONCoding {
    static func response<T: Encodable>(_ value: T, status: Int = 200) throws -> HTTPResponse {
        HTTPResponse.json(status, try WireJSON.encode(value))
    }
}
