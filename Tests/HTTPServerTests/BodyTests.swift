import BanyanTestSupport
import Glibc
import Testing

@testable import HTTPServer

@Suite("Request bodies: Content-Length, chunked, 100-continue, size limit")
struct BodyTests {
    @Test func contentLengthBodyIsEchoed() throws {
        try withServer { server in
            let body = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(RawHTTPConnection.request("POST", "/echo", body: body))
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.body == body)
        }
    }

    @Test func chunkedBodyIsDechunkedWithExtensionsAndTrailersIgnored() throws {
        try withServer { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(
                "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=value\r\nhello\r\n"
                    + "1\r\n \r\n"
                    + "A ; x\r\n0123456789\r\n"
                    + "0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "hello 0123456789")
            // The connection is still in sync after the trailers.
            try connection.send(RawHTTPConnection.request("POST", "/echo", body: Array("next".utf8)))
            #expect(try connection.readResponse().bodyText == "next")
        }
    }

    @Test func chunkedBodyArrivingInPiecesIsReassembled() throws {
        try withServer { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r")
            usleep(50_000)
            try connection.send("\nab")
            usleep(50_000)
            try connection.send("c\r\n0\r\n")
            usleep(50_000)
            #expect(!connection.hasIncomingData())
            try connection.send("\r\n")
            #expect(try connection.readResponse().bodyText == "abc")
        }
    }

    @Test func expectContinueIsAnsweredWhenTheBodyWillBeAccepted() throws {
        try withServer { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(
                "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            let interim = try connection.readResponse()
            #expect(interim.status == 100)
            try connection.send("hello")
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "hello")
        }
    }

    @Test func expectContinueWaitsBehindEarlierPipelinedResponses() throws {
        try withServer { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(
                RawHTTPConnection.request("GET", "/slow?ms=200&id=first")
                    + Array("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8))
            #expect(try connection.readResponse().bodyText == "first")
            #expect(try connection.readResponse().status == 100)
            try connection.send("ok")
            #expect(try connection.readResponse().bodyText == "ok")
        }
    }

    @Test func expectContinueWithAnOversizedBodyIs413AtOnce() throws {
        try withServer({ $0.maxBodyBytes = 1000 }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(
                "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 413)
            #expect(response.problemCode == "body_too_large")
            #expect(response.closesConnection)
            #expect(connection.waitForClose(timeout: 3))
        }
    }

    @Test func anOversizedContentLengthIsRefusedBeforeTheBodyIsSent() throws {
        try withServer({ $0.maxBodyBytes = 1000 }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1001\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 413)
            #expect(connection.waitForClose(timeout: 3))
            #expect(try get("/", port: server.port).status == 200)
        }
    }

    @Test func aBodyAtTheLimitIsAccepted() throws {
        try withServer({ $0.maxBodyBytes = 1000 }) { server in
            let body = [UInt8](repeating: 0x62, count: 1000)
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(RawHTTPConnection.request("POST", "/echo", body: body))
            #expect(try connection.readResponse().body == body)
        }
    }

    @Test func aChunkedBodyIsRefusedAsItGrowsPastTheLimit() throws {
        try withServer({ $0.maxBodyBytes = 100 }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            let chunk = String(repeating: "x", count: 60)
            try connection.send("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3c\r\n\(chunk)\r\n")
            #expect(!connection.hasIncomingData())
            try connection.send("3c\r\n")  // the size alone takes it over: refused before the bytes come
            let response = try connection.readResponse()
            #expect(response.status == 413)
            #expect(response.problemCode == "body_too_large")
            #expect(connection.waitForClose(timeout: 3))
        }
    }
}
