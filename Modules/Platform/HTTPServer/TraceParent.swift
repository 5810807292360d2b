/// A W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/):
/// `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`, lowercase.
///
/// The gateway accepts a caller's, or starts one; every module call carries
/// it on; every access-log line names its trace id, so one request is
/// followed across processes.
public struct TraceParent: Sendable, Equatable, CustomStringConvertible {
    public let traceID: String
    public let parentID: String
    public let flags: String

    /// Parses a header value; nil when it is not a valid `traceparent`
    /// (then the gateway starts a new trace rather than pass garbage on).
    public init?(_ header: String) {
        let bytes = Array(header.utf8)
        // Version 00 is exactly 55 bytes; a later version may append fields after a dash.
        guard bytes.count >= 55, bytes[2] == 0x2D, bytes[35] == 0x2D, bytes[52] == 0x2D else { return nil }
        let version = bytes[0..<2]
        guard Self.isHex(version), version.elementsEqual("ff".utf8) == false else { return nil }
        if version.elementsEqual("00".utf8) ? bytes.count != 55 : (bytes.count > 55 && bytes[55] != 0x2D) {
            return nil
        }
        let trace = bytes[3..<35], parent = bytes[36..<52], flags = bytes[53..<55]
        guard Self.isHex(trace), Self.isHex(parent), Self.isHex(flags), trace.contains(where: { $0 != 0x30 }),
            parent.contains(where: { $0 != 0x30 })
        else { return nil }
        traceID = String(decoding: trace, as: UTF8.self)
        parentID = String(decoding: parent, as: UTF8.self)
        self.flags = String(decoding: flags, as: UTF8.self)
    }

    /// A new trace, sampled (flags `01`), from 24 random bytes: 16 for the trace id, 8 for the span id.
    public init(random bytes: [UInt8]) {
        precondition(bytes.count == 24, "a new traceparent needs 24 random bytes")
        var trace = Array(bytes[0..<16]), parent = Array(bytes[16..<24])
        // All zeros is the one invalid value; one in 2^128, but never sent.
        if trace.allSatisfy({ $0 == 0 }) { trace[15] = 1 }
        if parent.allSatisfy({ $0 == 0 }) { parent[7] = 1 }
        traceID = Self.hex(trace)
        parentID = Self.hex(parent)
        flags = "01"
    }

    public var description: String { "00-\(traceID)-\(parentID)-\(flags)" }

    private static func isHex(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension TraceParent {
    /// The header's name, as HTTP/1.1 headers are matched: lowercase.
    public static let header = "traceparent"
}
