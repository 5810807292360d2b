/// Unpadded base64 in either alphabet, strict on decode.
///
/// Strict means canonical: no padding, no whitespace, no characters outside
/// the alphabet, no length of 1 mod 4, and the unused low bits of the last
/// character must be zero. Every byte string then has exactly one encoding,
/// so a JWT signature or a password hash cannot be altered into a second
/// form that still verifies.
struct Base64Codec: Sendable {
    /// The standard alphabet (`+/`), used by PHC strings.
    static let standard = Base64Codec(last: (0x2B, 0x2F))
    /// The URL-safe alphabet (`-_`), used by JWTs.
    static let url = Base64Codec(last: (0x2D, 0x5F))

    private let encodeTable: [UInt8]
    /// 0xFF marks a byte that is not in the alphabet.
    private let decodeTable: [UInt8]

    private init(last: (UInt8, UInt8)) {
        var symbols = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        symbols.append(last.0)
        symbols.append(last.1)
        var decode = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in symbols.enumerated() { decode[Int(symbol)] = UInt8(value) }
        encodeTable = symbols
        decodeTable = decode
    }

    static func encodedLength(_ byteCount: Int) -> Int {
        (byteCount / 3) * 4 + [0, 2, 3][byteCount % 3]
    }

    func encode(_ bytes: UnsafeRawBufferPointer, into output: inout String) {
        output.reserveCapacity(output.utf8.count + Base64Codec.encodedLength(bytes.count))
        output += String(unsafeUninitializedCapacity: Base64Codec.encodedLength(bytes.count)) { out in
            encodeTable.withUnsafeBufferPointer { table in
                var i = 0, o = 0
                while i + 3 <= bytes.count {
                    let chunk = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                    out[o] = table[Int(chunk >> 18 & 63)]
                    out[o + 1] = table[Int(chunk >> 12 & 63)]
                    out[o + 2] = table[Int(chunk >> 6 & 63)]
                    out[o + 3] = table[Int(chunk & 63)]
                    i += 3
                    o += 4
                }
                switch bytes.count - i {
                case 1:
                    let chunk = UInt32(bytes[i]) << 16
                    out[o] = table[Int(chunk >> 18 & 63)]
                    out[o + 1] = table[Int(chunk >> 12 & 63)]
                    o += 2
                case 2:
                    let chunk = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
                    out[o] = table[Int(chunk >> 18 & 63)]
                    out[o + 1] = table[Int(chunk >> 12 & 63)]
                    out[o + 2] = table[Int(chunk >> 6 & 63)]
                    o += 3
                default: break
                }
                return o
            }
        }
    }

    func encode(_ bytes: [UInt8]) -> String {
        var text = ""
        bytes.withUnsafeBytes { encode($0, into: &text) }
        return text
    }

    func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode($0) }
    }

    /// nil unless `input` is canonical unpadded base64 in this alphabet.
    func decode(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let remainder = input.count % 4
        if remainder == 1 { return nil }
        let outputCount = (input.count / 4) * 3 + (remainder == 0 ? 0 : remainder - 1)
        var valid = true
        let bytes = [UInt8](unsafeUninitializedCapacity: outputCount) { out, initialized in
            initialized = 0
            decodeTable.withUnsafeBufferPointer { table in
                var i = 0, o = 0
                while i + 4 <= input.count {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                    let c = table[Int(input[i + 2])], d = table[Int(input[i + 3])]
                    if (a | b | c | d) & 0xC0 != 0 {
                        valid = false
                        return
                    }
                    let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    out[o] = UInt8(truncatingIfNeeded: chunk >> 16)
                    out[o + 1] = UInt8(truncatingIfNeeded: chunk >> 8)
                    out[o + 2] = UInt8(truncatingIfNeeded: chunk)
                    i += 4
                    o += 3
                }
                if remainder == 2 {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                    // b's low 4 bits would be padding: they must be zero.
                    if (a | b) & 0xC0 != 0 || b & 0x0F != 0 {
                        valid = false
                        return
                    }
                    out[o] = a << 2 | b >> 4
                    o += 1
                } else if remainder == 3 {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])], c = table[Int(input[i + 2])]
                    if (a | b | c) & 0xC0 != 0 || c & 0x03 != 0 {
                        valid = false
                        return
                    }
                    out[o] = a << 2 | b >> 4
                    out[o + 1] = (b & 0x0F) << 4 | c >> 2
                    o += 2
                }
                initialized = o
            }
        }
        return valid ? bytes : nil
    }
}
