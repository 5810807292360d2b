import Platform
import Testing

@testable import HTTPServer

/// The parser on its own, without sockets.
@Suite("Request parser state machine")
struct RequestParserTests {
    let limits = RequestLimits(maxHeaderBytes: 1024, maxHeaderCount: 8, maxBodyBytes: 100)

    func parse(_ chunks: [String], limits: RequestLimits? = nil) -> [RequestParser.Event] {
        var parser = RequestParser(limits: limits ?? self.limits, remoteAddress: "1.2.3.4:5")
        var events: [RequestParser.Event] = []
        for chunk in chunks {
            Array(chunk.utf8).withUnsafeBytes { parser.append($0) }
            while true {
                let event = parser.next()
                if case .needMore = event { break }
                events.append(event)
                if case .failure = event { return events }
            }
        }
        return events
    }

    func requests(_ events: [RequestParser.Event]) -> [HTTPRequest] {
        events.compactMap { if case .request(let request, _, _) = $0 { request } else { nil } }
    }

    @Test func pipelinedRequestsComeOutOneAtATimeInOrder() {
        let events = parse([
            "GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhiGET /c HTTP/1.1\r\nHost: h\r\n\r\n"
        ])
        let parsed = requests(events)
        #expect(parsed.map(\.path) == ["/a", "/b", "/c"])
        #expect(parsed[1].body == Array("hi".utf8))
        #expect(parsed.allSatisfy { $0.remoteAddress == "1.2.3.4:5" })
    }

    @Test func everySplitPointGivesTheSameRequest() {
        let whole = "POST /x?q=1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4;e=1\r\nabcd\r\n2\r\nef\r\n0\r\nT: 1\r\n\r\n"
        let bytes = Array(whole.utf8)
        for split in 1..<bytes.count {
            let first = String(decoding: bytes[..<split], as: UTF8.self)
            let second = String(decoding: bytes[split...], as: UTF8.self)
            let parsed = requests(parse([first, second]))
            #expect(parsed.count == 1, "split at \(split)")
            #expect(parsed.first?.body == Array("abcdef".utf8), "split at \(split)")
            #expect(parsed.first?.query == "q=1")
        }
    }

    @Test func oneByteAtATimeWorks() {
        let whole = "GET /slow HTTP/1.1\r\nHost: h\r\nX-A: b\r\n\r\n"
        let parsed = requests(parse(whole.map { String($0) }))
        #expect(parsed.map(\.path) == ["/slow"])
        #expect(parsed.first?.headers["x-a"] == "b")
    }

    @Test func keepAliveFollowsVersionAndConnectionHeader() {
        func keepAlive(_ head: String) -> Bool? {
            for event in parse([head]) { if case .request(_, let keepAlive, _) = event { return keepAlive } }
            return nil
        }
        #expect(keepAlive("GET / HTTP/1.1\r\nHost: h\r\n\r\n") == true)
        #expect(keepAlive("GET / HTTP/1.1\r\nHost: h\r\nConnection: Close\r\n\r\n") == false)
        #expect(keepAlive("GET / HTTP/1.0\r\n\r\n") == false)
        #expect(keepAlive("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") == true)
    }

    @Test func expectContinueIsAnnouncedOnlyBeforeTheBody() {
        let waiting = parse(["POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"])
        #expect(waiting.count == 1)
        if case .continueExpected = waiting.first {} else { Issue.record("expected continueExpected, got \(waiting)") }

        let eager = parse(["POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi"])
        #expect(requests(eager).count == 1)
        #expect(eager.count == 1, "no 100 Continue once the body is here")
    }

    @Test func limitsAreEnforcedBeforeTheHeadEnds() {
        let long = parse(["GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 2000)])
        if case .failure(let problem) = long.last { #expect(problem.status == 431) } else { Issue.record("\(long)") }

        let many = parse(["GET / HTTP/1.1\r\n" + (0..<9).map { "X\($0): 1\r\n" }.joined()])
        if case .failure(let problem) = many.last { #expect(problem.code == "too_many_headers") } else { Issue.record("\(many)") }

        let garbage = parse(["\u{1}\u{2}"])
        if case .failure(let problem) = garbage.last { #expect(problem.status == 400) } else { Issue.record("\(garbage)") }
    }

    @Test func aChunkedBodyOverTheLimitFailsAtTheSizeLine() {
        let fifty = String(repeating: "x", count: 50)
        let events = parse(["POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n32\r\n\(fifty)\r\n", "33\r\n"])
        #expect(events.count == 1)
        if case .failure(let problem) = events.first { #expect(problem.status == 413) } else { Issue.record("\(events)") }
    }

    @Test(arguments: [
        ("5", 5), ("5, 5", 5), ("0", 0), ("007", 7), ("99999999999999999999999", Int.max),
        ("", nil), ("-1", nil), ("abc", nil), ("1, 2", nil), ("+5", nil), ("5,", nil), (" ", nil),
    ] as [(String, Int?)])
    func contentLengthValues(_ text: String, _ expected: Int?) {
        let bytes = Array(text.utf8)
        let parsed = bytes.withUnsafeBufferPointer { RequestHeadParser.parseContentLength($0) }
        #expect(parsed == expected)
    }
}
