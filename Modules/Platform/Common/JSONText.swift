/// Minimal JSON text writing for hot paths (log lines, problem bodies) where
/// `JSONEncoder`'s cost per call would show up in the benchmarks.
public enum JSONText {
    /// Appends `value` as a quoted JSON string, escaping per RFC 8259 (the byte writer's text).
    public static func appendString(_ value: String, to out: inout String) {
        var bytes: [UInt8] = []
        appendString(value, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` as a quoted JSON string to UTF-8 bytes, escaping per
    /// RFC 8259: the same text as the `String` version, byte by byte (a
    /// multi-byte character's bytes are all 0x80 or more, and pass as they are).
    public static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(0x22)
        var value = value
        value.withUTF8 { bytes in
            guard bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
                out.append(contentsOf: bytes)
                return
            }
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            for byte in bytes {
                switch byte {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])
                case 0x09: out.append(contentsOf: [0x5C, 0x74])
                case ..<0x20: out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
                default: out.append(byte)
                }
            }
        }
        out.append(0x22)
    }

    /// Appends `value` in decimal.
    public static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(0x2D) }
        var magnitude = value.magnitude
        let first = out.count
        repeat {
            out.append(0x30 + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        out[first...].reverse()
    }

    /// Appends `value` as a JSON number, `null` when it is not finite. A
    /// value with at most three decimals (a duration in milliseconds, as
    /// logged) is written without `Double`'s description, and reads the same:
    /// `12.0`, `0.25`, `1.125`.
    public static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else { return out.append(contentsOf: "null".utf8) }
        let thousandths = value * 1000
        guard thousandths == thousandths.rounded(), abs(thousandths) < 1e15, !(value == 0 && value.sign == .minus) else {
            return out.append(contentsOf: String(value).utf8)
        }
        let scaled = Int(thousandths)
        if scaled < 0 { out.append(0x2D) }
        appendInteger(Int(scaled.magnitude / 1000), to: &out)
        out.append(0x2E)
        // One to three decimals: Double's description drops trailing zeros but keeps one digit.
        var fraction = Int(scaled.magnitude % 1000), width = 3
        while width > 1, fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        let first = out.count
        for _ in 0..<width {
            out.append(0x30 + UInt8(fraction % 10))
            fraction /= 10
        }
        out[first...].reverse()
    }

    public static func quoted(_ value: String) -> String {
        var out = ""
        appendString(value, to: &out)
        return out
    }
}
