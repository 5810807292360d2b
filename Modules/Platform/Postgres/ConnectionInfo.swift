import CPostgres
import Foundation

/// A libpq connection string taken apart, so that one admin URL can become
/// one login per module (same server and database, another user) without
/// string surgery on URIs.
package struct ConnectionInfo: Sendable, Equatable {
    /// In order; each keyword once.
    package private(set) var parameters: [(key: String, value: String)]

    package init(_ parameters: [(key: String, value: String)]) {
        self.parameters = []
        for (key, value) in parameters { self[key] = value }
    }

    /// Parses a `key=value` string or a `postgresql://` URI with libpq's own parser.
    package init(parsing conninfo: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            // libpq's message quotes the string, which may hold a password.
            throw PostgresError(kind: .connectionFailed, message: "malformed connection string")
        }
        defer { PQconninfoFree(options) }
        var parsed: [(key: String, value: String)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                parsed.append((String(cString: keyword), String(cString: value)))
            }
            option += 1
        }
        self.init(parsed)
    }

    static func isWellFormed(_ conninfo: String) -> Bool {
        (try? ConnectionInfo(parsing: conninfo)) != nil
    }

    package subscript(key: String) -> String? {
        get { parameters.first { $0.key == key }?.value }
        set {
            if let position = parameters.firstIndex(where: { $0.key == key }) {
                if let newValue {
                    parameters[position].value = newValue
                } else {
                    parameters.remove(at: position)
                }
            } else if let newValue {
                parameters.append((key, newValue))
            }
        }
    }

    /// The `key='value'` form, every value quoted and escaped as libpq reads it.
    package var conninfo: String {
        parameters.map { key, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "'", with: "\\'")
            return "\(key)='\(escaped)'"
        }.joined(separator: " ")
    }

    package static func == (lhs: ConnectionInfo, rhs: ConnectionInfo) -> Bool {
        lhs.parameters.map(\.key) == rhs.parameters.map(\.key)
            && lhs.parameters.map(\.value) == rhs.parameters.map(\.value)
    }
}
