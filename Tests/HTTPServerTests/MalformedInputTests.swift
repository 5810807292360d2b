import BanyanTestSupport
import Testing

@testable import HTTPServer

/// One hostile or broken input and what the server may answer.
struct MalformedInput: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    /// Statuses that are correct answers.
    let statuses: Set<Int>
    /// A truncated request then FIN: closing without an answer is also correct.
    var halfClose = false

    init(_ name: String, _ text: String, _ statuses: Set<Int>, halfClose: Bool = false) {
        self.init(name, Array(text.utf8), statuses, halfClose: halfClose)
    }

    init(_ name: String, _ bytes: [UInt8], _ statuses: Set<Int>, halfClose: Bool = false) {
        self.name = name
        self.bytes = bytes
        self.statuses = statuses
        self.halfClose = halfClose
    }

    var testDescription: String { name }

    /// Deterministic noise (SplitMix64), so a failure can be replayed.
    static func noise(seed: UInt64, count: Int) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
    }

    static let all: [MalformedInput] = [
        .init("truncated request line then close", "GET /ind", [400], halfClose: true),
        .init("truncated head then close", "GET / HTTP/1.1\r\nHost: h\r\n", [400], halfClose: true),
        .init("truncated body then close", "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc", [400], halfClose: true),
        .init("random binary", noise(seed: 1, count: 512), [400]),
        .init("method then binary", Array("GET ".utf8) + noise(seed: 2, count: 200), [400]),
        .init("HTTP/2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", [505]),
        .init("HTTP/1.2", "GET / HTTP/1.2\r\nHost: h\r\n\r\n", [505]),
        .init("not a version", "GET / HTTX/1.1\r\nHost: h\r\n\r\n", [400]),
        .init("lower-case version", "GET / http/1.1\r\nHost: h\r\n\r\n", [400]),
        .init("no version", "GET /\r\nHost: h\r\n\r\n", [400]),
        .init("extra field in request line", "GET / HTTP/1.1 x\r\nHost: h\r\n\r\n", [400]),
        .init("double space", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
        .init("lower-case method", "get / HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
        .init("unknown method", "BREW / HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
        .init("invalid method token", "GE(T / HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
        .init("CONNECT authority-form", "CONNECT example.com:443 HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
        .init("absolute-form target", "GET http://example.com/ HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
        .init("asterisk for GET", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
        .init("fragment in target", "GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
        .init("bad percent escape", "GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
        .init("percent-encoded NUL", "GET /a%00b HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
        .init("percent-encoded invalid UTF-8", "GET /a%C3%28 HTTP/1.1\r\nHost: h\r\n\r\n", [400]),
        .init("missing Host", "GET / HTTP/1.1\r\n\r\n", [400]),
        .init("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", [400]),
        .init("Content-Length -1", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", [400]),
        .init("Content-Length abc", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n", [400]),
        .init("Content-Length +5", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\nhello", [400]),
        .init("Content-Length empty", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \r\n\r\n", [400]),
        .init("Content-Length 1, 2", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 2\r\n\r\nab", [400]),
        .init("Content-Length conflicting duplicates", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", [400]),
        .init("Content-Length overflow", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999999\r\n\r\n", [400, 413]),
        .init("Content-Length and Transfer-Encoding", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", [400]),
        .init("Transfer-Encoding gzip", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", [400]),
        .init("Transfer-Encoding gzip, chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", [400]),
        .init("Transfer-Encoding twice", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", [400]),
        .init("chunked in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", [400]),
        .init("bad chunk size", "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n", [400]),
        .init("negative chunk size", "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\nab\r\n0\r\n\r\n", [400]),
        .init("huge chunk size", "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffffffff\r\n", [400, 413]),
        .init("chunk longer than its size", "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", [400]),
        .init("header without colon", "GET / HTTP/1.1\r\nHost: h\r\nNoColonHere\r\n\r\n", [400]),
        .init("space before colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", [400]),
        .init("empty header name", "GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", [400]),
        .init("obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX-A: one\r\n two\r\n\r\n", [400]),
        .init("NUL in header value", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{0}b\r\n\r\n", [400]),
        .init("DEL in header value", "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{7F}b\r\n\r\n", [400]),
        .init("bare CR", "GET / HTTP/1.1\r\nHost: h\rX-A: b\r\n\r\n", [400]),
        .init("20 KB header", "GET / HTTP/1.1\r\nHost: h\r\nX-Big: \(String(repeating: "b", count: 20 * 1024))\r\n\r\n", [431]),
        .init("101 headers", "GET / HTTP/1.1\r\nHost: h\r\n" + (0..<100).map { "X-\($0): v\r\n" }.joined() + "\r\n", [431]),
    ]
}

@Suite("Malformed input: answered, never a crash")
struct MalformedInputTests {
    @Test(arguments: MalformedInput.all)
    func malformedInputIsAnsweredAndTheServerCarriesOn(_ input: MalformedInput) throws {
        try withServer { server in
            let connection = try RawHTTPConnection(port: server.port)
            try? connection.send(input.bytes)  // the server may close before reading it all
            if input.halfClose { connection.shutdownWrite() }
            let received: [UInt8]
            do {
                received = try connection.readUntilClose(timeout: 5)
            } catch RawHTTPError.receiveFailed {
                received = []  // reset after the answer: tolerated only for a half-close case below
            }
            let responses = try RawHTTPConnection.parseResponses(received)
            if input.halfClose && responses.isEmpty {
                // Closing a truncated request without an answer is fine.
            } else {
                let response = try #require(responses.first, "no response to \(input.name)")
                #expect(responses.count == 1)
                #expect(input.statuses.contains(response.status), "\(input.name) answered \(response.status)")
                #expect(response.header("content-type") == "application/problem+json")
                #expect(response.closesConnection)
                #expect(response.problemCode != nil)
            }
            // The server is still fine.
            let probe = try get("/after", port: server.port)
            #expect(probe.status == 200)
            #expect(probe.bodyText == "ok /after")
        }
    }

    @Test func randomGarbageNeverStopsTheServer() throws {
        try withServer({ $0.headerReadTimeout = 1 }) { server in
            let prefixes = ["", "GET ", "GET / HTTP/1.1\r\n", "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"]
            for seed in 0..<120 {
                let prefix = Array(prefixes[seed % prefixes.count].utf8)
                let noise = MalformedInput.noise(seed: UInt64(seed) + 100, count: 1 + seed * 37 % 3000)
                let connection = try RawHTTPConnection(port: server.port)
                try? connection.send(prefix + noise + Array("\r\n\r\n".utf8))
                connection.shutdownWrite()
                let received = (try? connection.readUntilClose(timeout: 5)) ?? []
                if let response = try RawHTTPConnection.parseResponses(received).first {
                    #expect([400, 408, 413, 431, 505].contains(response.status), "seed \(seed): \(response.status)")
                }
            }
            #expect(try get("/after", port: server.port).status == 200)
        }
    }
}
