import Foundation
import Platform
import Testing

/// The byte writers the log lines are built with write the same text as the
/// `String` writer and as `Double`'s description, which a line's readers
/// (and every earlier log file) expect.
@Suite struct JSONTextTests {
    static let strings = [
        "", "plain", "quote \" and backslash \\", "line\nbreak\r\ttab", "\u{01}\u{1F} controls", "café ☕️ 𝄞",
        "GET /api/v1/orders/3f2a?x=1", String(repeating: "a", count: 300),
    ]

    @Test(arguments: strings)
    func bytesAreEscapedLikeTheStringWriter(_ value: String) throws {
        var text = ""
        JSONText.appendString(value, to: &text)
        var bytes: [UInt8] = []
        JSONText.appendString(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == text)
        // And it is JSON that reads back as the value.
        let decoded = try JSONDecoder().decode(String.self, from: Data(bytes))
        #expect(decoded == value)
    }

    @Test func numbersReadAsDoublesDescription() {
        var values: [Double] = [0, 1, -1, 12, 0.5, 0.25, 1.125, 0.001, 0.01, 0.1, 999.999, 123_456.789, -0.0, 1e11, 1e12]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            // Durations as logged: milliseconds rounded to three decimals.
            values.append((Double.random(in: 0..<100_000, using: &generator) * 1000).rounded() / 1000)
        }
        values += [0.0001, 1.0 / 3.0, .pi, 1e20, -2.5e-7]  // more decimals: written by the description
        for value in values {
            var bytes: [UInt8] = []
            JSONText.appendNumber(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(value), "\(value)")
        }
        for value in [Double.nan, .infinity, -.infinity] {
            var bytes: [UInt8] = []
            JSONText.appendNumber(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "null")
        }
    }

    @Test(arguments: [0, 7, -7, 10, 1_000_000, Int.max, Int.min])
    func integersAreDecimal(_ value: Int) {
        var bytes: [UInt8] = [0x78]
        JSONText.appendInteger(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x\(value)")
    }

    @Test func aLogLineIsOneJSONObjectWithAUTCTimestamp() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let log = Log(fileDescriptor: ends[1])
        log.info("request", ["path": .string("/a\"b"), "status": .int(201), "duration_ms": .double(1.5), "ok": .bool(true)])
        log.flush()
        close(ends[1])
        let text = String(decoding: FileHandle(fileDescriptor: ends[0]).readDataToEndOfFile(), as: UTF8.self)
        #expect(text.hasSuffix("}\n") && text.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["msg"] as? String == "request")
        #expect(object["path"] as? String == "/a\"b")
        #expect(object["status"] as? Int == 201)
        #expect(object["duration_ms"] as? Double == 1.5)
        #expect(object["ok"] as? Bool == true)
        let stamp = try #require(object["ts"] as? String)
        #expect(stamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(stamp)")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let logged = try #require(formatter.date(from: stamp))
        #expect(abs(logged.timeIntervalSinceNow) < 60)
    }
}
