import Foundation

/// A value that can travel as a text-format bind parameter.
///
/// Only the types listed here conform, on purpose: interpolating anything
/// else into a `PostgresQuery` does not compile, so nobody ends up sending
/// `"\(someEnum)"`'s description by accident.
public protocol PostgresBindable: Sendable {
    var postgresBind: PostgresBind { get }
}

extension String: PostgresBindable {
    public var postgresBind: PostgresBind { PostgresBind(text: self, typeOID: PostgresTypeOID.unknown) }
}

extension Int: PostgresBindable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self), typeOID: PostgresTypeOID.int8) }
}

extension Int64: PostgresBindable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self), typeOID: PostgresTypeOID.int8) }
}

extension Int32: PostgresBindable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self), typeOID: PostgresTypeOID.int4) }
}

extension Bool: PostgresBindable {
    public var postgresBind: PostgresBind {
        PostgresBind(text: self ? "true" : "false", typeOID: PostgresTypeOID.bool)
    }
}

extension Double: PostgresBindable {
    public var postgresBind: PostgresBind {
        // Swift spells these "inf"/"nan"; PostgreSQL wants its own words.
        let text: String
        if isNaN {
            text = "NaN"
        } else if isInfinite {
            text = self < 0 ? "-Infinity" : "Infinity"
        } else {
            text = String(self)  // shortest text that reads back as the same Double
        }
        return PostgresBind(text: text, typeOID: PostgresTypeOID.float8)
    }
}

extension UUID: PostgresBindable {
    public var postgresBind: PostgresBind { PostgresBind(text: uuidString, typeOID: PostgresTypeOID.uuid) }
}

extension Date: PostgresBindable {
    public var postgresBind: PostgresBind {
        PostgresBind(text: PostgresTimestamp.format(self), typeOID: PostgresTypeOID.timestamptz)
    }
}

extension Array: PostgresBindable where Element == UInt8 {
    public var postgresBind: PostgresBind {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = [0x5C, 0x78]  // \x, the bytea hex input format
        text.reserveCapacity(2 + count * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return PostgresBind(text: String(decoding: text, as: UTF8.self), typeOID: PostgresTypeOID.bytea)
    }
}
