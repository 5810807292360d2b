import Foundation
import HTTPServer
import Platform

/// The gateway's JSON conventions: ISO 8601 dates, and decoding errors that
/// name the offending field.
enum JSONCoding {
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func response<T: Encodable>(_ value: T, status: Int = 200) throws -> HTTPResponse {
        HTTPResponse.json(status, Array(try encoder.encode(value)))
    }

    static func problem(for error: DecodingError) -> Problem {
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let name = field(context.codingPath + [key])
            return .unprocessable("validation_failed", "\(name): is required")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return .unprocessable("validation_failed", "\(field(context.codingPath)): has the wrong type")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return .unprocessable("validation_failed", "\(field(context.codingPath)): is not a valid value")
        default:
            return .badRequest("malformed_json", "The request body is not valid JSON.")
        }
    }
}
