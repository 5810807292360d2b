import BanyanTestSupport
import Foundation
import Glibc
import Testing

@testable import HTTPServer

@Suite("Limits and timeouts")
struct LimitTests {
    @Test func anOversizedHeadIs431() throws {
        try withServer { server in
            let connection = try RawHTTPConnection(port: server.port)
            let filler = String(repeating: "a", count: 20 * 1024)
            try? connection.send("GET / HTTP/1.1\r\nHost: h\r\nX-Filler: \(filler)\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 431)
            #expect(response.problemCode == "header_too_large")
            #expect(response.closesConnection)
            #expect(connection.waitForClose(timeout: 3))
        }
    }

    @Test func anOversizedHeadIsRefusedBeforeItEnds() throws {
        try withServer({ $0.maxHeaderBytes = 1024 }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            // No terminating empty line: the server must not wait for one.
            try connection.send("GET / HTTP/1.1\r\nX-Filler: \(String(repeating: "a", count: 2000))")
            #expect(try connection.readResponse().status == 431)
        }
    }

    @Test func tooManyHeaderFieldsIs431() throws {
        try withServer({ $0.maxHeaderCount = 10 }) { server in
            let fields = (0..<11).map { "X-F\($0): v\r\n" }.joined()
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("GET / HTTP/1.1\r\nHost: h\r\n\(fields)\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 431)
            #expect(response.problemCode == "too_many_headers")

            let fits = try RawHTTPConnection(port: server.port)
            let nine = (0..<9).map { "X-F\($0): v\r\n" }.joined()
            try fits.send("GET / HTTP/1.1\r\nHost: h\r\n\(nine)\r\n")  // Host + 9 = 10 fields
            #expect(try fits.readResponse().status == 200)
        }
    }

    @Test func connectionsOverTheCapAre503AndClosed() throws {
        try withServer({ $0.maxConnections = 2 }) { server in
            let first = try RawHTTPConnection(port: server.port)
            let second = try RawHTTPConnection(port: server.port)
            for connection in [first, second] {
                try connection.send(RawHTTPConnection.request("GET", "/"))
                #expect(try connection.readResponse().status == 200)
            }
            let third = try RawHTTPConnection(port: server.port)
            let refused = try third.readResponse()  // without sending anything
            #expect(refused.status == 503)
            #expect(refused.problemCode == "server_busy")
            #expect(refused.closesConnection)
            #expect(third.waitForClose(timeout: 3))

            // A place frees up when a client leaves.
            first.close()
            #expect(eventually {
                guard let response = try? get("/again", port: server.port) else { return false }
                return response.status == 200
            })
            try second.send(RawHTTPConnection.request("GET", "/still"))
            #expect(try second.readResponse().bodyText == "ok /still")
        }
    }

    @Test func aSlowlorisHeadIsCutAtTheDeadlineWhileOthersAreServed() throws {
        try withServer({ $0.headerReadTimeout = 1.5 }) { server in
            let opened = Date()
            let slowloris = try RawHTTPConnection(port: server.port)
            // One byte every 100 ms: always "making progress", never finishing.
            slowloris.dribble("GET / H", interval: 0.1)
            let quick = try seconds { () throws in #expect(try get("/quick", port: server.port).status == 200) }
            #expect(quick < 0.75, "a normal client waited \(quick) s behind the slow one")
            slowloris.dribble("TTP/1.1\r\nHost: x\r\nX-Slow: 1234567890", interval: 0.1)
            let response = try slowloris.readResponse()
            let cutAfter = Date().timeIntervalSince(opened)
            #expect(response.status == 408)
            #expect(response.problemCode == "request_timeout")
            #expect(slowloris.waitForClose(timeout: 3))
            #expect(cutAfter >= 1.4 && cutAfter < 3, "cut after \(cutAfter) s")
        }
    }

    @Test func aSilentNewConnectionGets408() throws {
        try withServer({ $0.headerReadTimeout = 0.3 }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            let response = try connection.readResponse(timeout: 3)
            #expect(response.status == 408)
        }
    }

    @Test func aStalledBodyGets408() throws {
        try withServer({ $0.bodyReadTimeout = 0.3 }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc")
            let response = try connection.readResponse(timeout: 3)
            #expect(response.status == 408)
            #expect(connection.waitForClose(timeout: 3))
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosed() throws {
        try withServer({ $0.idleTimeout = 0.5 }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(RawHTTPConnection.request("GET", "/"))
            #expect(try connection.readResponse().status == 200)
            let idle = seconds { #expect(connection.waitForClose(timeout: 3)) }
            #expect(idle >= 0.4 && idle < 2.0, "closed after \(idle) s")
            #expect(try connection.readUntilClose().isEmpty, "idle close sends nothing")
        }
    }

    @Test func aBusyKeepAliveConnectionOutlivesTheIdleTimeout() throws {
        try withServer({ $0.idleTimeout = 0.5 }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            for index in 0..<6 {  // 6 × 0.2 s = well past one idle timeout
                try connection.send(RawHTTPConnection.request("GET", "/?id=\(index)"))
                #expect(try connection.readResponse().bodyText == "ok / \(index)")
                usleep(200_000)
            }
        }
    }
}
