/// A W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/):
/// `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`, lowercase.
///
/// The gateway accepts a caller's, or starts one; every module call carries
/// it on; every access-log line names its trace id, so one request is
/// followed across processes.
public struct TraceParent: Sendable, Equatable, CustomStringConvertible {
    /// The header as this process sends it on: version `00`. Made once,
    /// since every response from the gateway and every module call carries it.
    public let description: String
    public let traceID: String

    /// The caller's span: the parent of this process's work.
    public var parentID: String { String(decoding: description.utf8.dropFirst(36).prefix(16), as: UTF8.self) }
    public var flags: String { String(decoding: description.utf8.suffix(2), as: UTF8.self) }

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
        // Passed on as the version this process speaks, without a later version's extra fields.
        description = bytes.count == 55 && version.elementsEqual("00".utf8) ? header : "00" + String(decoding: bytes[2..<55], as: UTF8.self)
    }

    /// A new trace, sampled (flags `01`): the trace id from two words, the span id from one.
    public init(traceID high: UInt64, _ low: UInt64, spanID: UInt64) {
        // All zeros is the one invalid value; one in 2^128, but never sent.
        let low = high == 0 && low == 0 ? 1 : low
        let span = spanID == 0 ? 1 : spanID
        description = String(unsafeUninitializedCapacity: 55) { out in
            let dash: UInt8 = 0x2D, zero: UInt8 = 0x30
            out[0] = zero
            out[1] = zero
            out[2] = dash
            Self.writeHex(high, into: out, at: 3)
            Self.writeHex(low, into: out, at: 19)
            out[35] = dash
            Self.writeHex(span, into: out, at: 36)
            out[52] = dash
            out[53] = zero
            out[54] = zero + 1
            return 55
        }
        traceID = String(decoding: description.utf8.dropFirst(3).prefix(32), as: UTF8.self)
    }

    private static func isHex(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// `word` as 16 lowercase hex digits at `offset`.
    private static func writeHex(_ word: UInt64, into out: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        for nibble in 0..<16 {
            let digit = UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * nibble)) & 0x0F
            out[offset + nibble] = digit < 10 ? 0x30 + digit : 0x57 + digit
        }
    }
}

extension TraceParent {
    /// The header's name, as HTTP/1.1 headers are matched: lowercase.
    public static let header = "traceparent"
}
