import BanyanTestSupport
import Synchronization
import Testing

@testable import HTTPServer

@Suite("HTTP server basics over real sockets")
struct ServerBasicsTests {
    @Test func portZeroPicksAFreePort() throws {
        try withServer { first in
            try withServer { second in
                #expect(first.port > 0)
                #expect(second.port > 0)
                #expect(first.port != second.port)
                let fromFirst = try get("/", port: first.port)
                let fromSecond = try get("/", port: second.port)
                #expect(fromFirst.bodyText == "ok /")
                #expect(fromSecond.bodyText == "ok /")
            }
        }
    }

    @Test func aTakenPortIsAClearError() throws {
        try withServer { first in
            var configuration = HTTPServerConfiguration()
            configuration.port = first.port
            let second = HTTPServer(configuration: configuration, responder: RoutingResponder())
            #expect(throws: HTTPServerError.addressInUse) { try second.start() }
            let third = HTTPServer(configuration: configuration, responder: RoutingResponder())
            do {
                try third.start()
                Issue.record("a second server started on a taken port")
            } catch let error as HTTPServerError {
                #expect(error.detail.contains("\(first.port)"))
            }
            second.waitUntilStopped()  // a failed start counts as stopped
            second.shutdown()
            #expect(try get("/", port: first.port).status == 200)
        }
    }

    @Test func anUnparsableHostIsRejected() {
        var configuration = HTTPServerConfiguration()
        configuration.host = "not-an-address"
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, responder: RoutingResponder())
        #expect(throws: HTTPServerError.invalidAddress) { try server.start() }
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let responder = RoutingResponder()
        try withServer(responder: responder) { server in
            let connection = try RawHTTPConnection(port: server.port)
            for index in 1...3 {
                try connection.send(RawHTTPConnection.request("GET", "/item?id=\(index)"))
                let response = try connection.readResponse()
                #expect(response.status == 200)
                #expect(response.bodyText == "ok /item \(index)")
                #expect(response.header("content-length") == "\(response.body.count)")
                #expect(!response.closesConnection)
            }
            #expect(!connection.hasIncomingData())
            #expect(responder.calls.count == 3)
        }
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() throws {
        try withServer { server in
            let plain = try RawHTTPConnection(port: server.port)
            try plain.send("GET /a HTTP/1.0\r\n\r\n")
            let response = try plain.readResponse()
            #expect(response.status == 200)
            #expect(response.closesConnection)
            #expect(plain.waitForClose(timeout: 3))

            let kept = try RawHTTPConnection(port: server.port)
            try kept.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let first = try kept.readResponse()
            #expect(first.header("connection") == "keep-alive")
            try kept.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try kept.readResponse().bodyText == "ok /b")
        }
    }

    @Test func clientConnectionCloseIsHonoured() throws {
        try withServer { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(RawHTTPConnection.request("GET", "/x", headers: [("Connection", "close")]))
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.closesConnection)
            #expect(connection.waitForClose(timeout: 3))
        }
    }

    @Test func handlerConnectionCloseClosesAfterTheResponse() throws {
        try withServer { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(RawHTTPConnection.request("GET", "/close"))
            let response = try connection.readResponse()
            #expect(response.bodyText == "bye")
            #expect(response.header("connection") == "close")
            #expect(response.headers.filter { $0.name.lowercased() == "connection" }.count == 1)
            #expect(connection.waitForClose(timeout: 3))
        }
    }

    @Test func headResponsesCarryTheLengthButNoBody() throws {
        try withServer { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(RawHTTPConnection.request("HEAD", "/thing"))
            let head = try connection.readResponse(bodyless: true)
            #expect(head.status == 200)
            #expect(head.header("content-length") == "\("ok /thing".utf8.count)")
            // Had a body been sent, it would be read as the start of this response.
            try connection.send(RawHTTPConnection.request("GET", "/next"))
            let next = try connection.readResponse()
            #expect(next.status == 200)
            #expect(next.bodyText == "ok /next")
        }
    }

    @Test func requestPartsReachTheHandler() throws {
        let seen = Mutex<HTTPRequest?>(nil)
        let responder = ClosureResponder { request in
            seen.withLock { $0 = request }
            return HTTPResponse(status: 204)
        }
        try withServer(responder: responder) { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(
                "PUT /caf%C3%A9/menu?x=1&y=a%20b HTTP/1.1\r\nHost: h\r\nX-Trace:  abc \r\nContent-Length: 3\r\n\r\nxyz")
            let response = try connection.readResponse()
            #expect(response.status == 204)
            #expect(response.header("content-length") == nil)
            let request = try #require(seen.withLock { $0 })
            #expect(request.method == "PUT")
            #expect(request.target == "/caf%C3%A9/menu?x=1&y=a%20b")
            #expect(request.path == "/café/menu")
            #expect(request.query == "x=1&y=a%20b")
            #expect(request.queryParameters["y"] == "a b")
            #expect(request.headers["x-trace"] == "abc")
            #expect(request.body == Array("xyz".utf8))
            #expect(request.remoteAddress == "127.0.0.1:\(connection.localPort)")
        }
    }

    @Test func optionsAsteriskIsAccepted() throws {
        try withServer { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "ok *")
        }
    }

    @Test func severalIOThreadsServeManyConnections() throws {
        try withServer({ $0.ioThreadCount = 3 }) { server in
            var connections: [RawHTTPConnection] = []
            for _ in 0..<12 { connections.append(try RawHTTPConnection(port: server.port)) }
            for round in 0..<3 {
                for (index, connection) in connections.enumerated() {
                    try connection.send(RawHTTPConnection.request("GET", "/inline?id=\(index)-\(round)"))
                    try connection.send(RawHTTPConnection.request("GET", "/worker?id=\(index)-\(round)"))
                }
                for (index, connection) in connections.enumerated() {
                    let responses = try connection.readResponses(2)
                    #expect(responses.map(\.bodyText) == ["ok /inline \(index)-\(round)", "ok /worker \(index)-\(round)"])
                }
            }
        }
    }
}
