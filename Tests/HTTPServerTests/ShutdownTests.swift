import BanyanTestSupport
import Foundation
import Testing

@testable import HTTPServer

@Suite("Graceful shutdown")
struct ShutdownTests {
    @Test func anInFlightRequestFinishesAndNewConnectionsAreRefused() throws {
        let entered = Counter()
        let responder = ClosureResponder { request in
            entered.increment()
            guard request.path == "/slow" else { return HTTPResponse(status: 200) }
            usleep(700_000)
            return HTTPResponse(status: 200, body: Array("finished".utf8))
        }
        let server = try startServer(responder: responder) { $0.shutdownGracePeriod = 5 }
        let port = server.port
        let busy = try RawHTTPConnection(port: port)
        try busy.send(RawHTTPConnection.request("GET", "/slow"))
        let idle = try RawHTTPConnection(port: port)
        try idle.send(RawHTTPConnection.request("GET", "/fast"))
        #expect(eventually { entered.count == 2 })
        _ = try idle.readResponse()  // idle now: a keep-alive connection with nothing owed

        let stopping = BackgroundThread { server.shutdown() }
        #expect(idle.waitForClose(timeout: 2), "idle keep-alive connections are closed at once")
        #expect(eventually {
            (try? RawHTTPConnection(port: port, timeout: 1)) == nil
        }, "the listener is closed")

        let response = try busy.readResponse(timeout: 5)
        #expect(response.status == 200)
        #expect(response.bodyText == "finished")
        #expect(response.closesConnection)
        #expect(busy.waitForClose(timeout: 3))
        #expect(stopping.join(timeout: 5))
        server.waitUntilStopped()
    }

    /// A load balancer's keep-alive connection is served through the lame
    /// duck and told to close, never closed under a request it just sent;
    /// readiness says so first; the listener closes only after the period.
    @Test func aLameDuckKeepsServingClosesEachConnectionAndFailsReadiness() throws {
        let server = try startServer { $0.lameDuckPeriod = 3 }
        let port = server.port
        let kept = try RawHTTPConnection(port: port)
        try kept.send(RawHTTPConnection.request("GET", "/before"))
        let before = try kept.readResponse()
        #expect(before.status == 200 && !before.closesConnection)
        #expect(try get("/ready", port: port).status == 200, "ready while running")

        let stopping = BackgroundThread { server.shutdown() }
        var readiness: RawHTTPResponse?
        #expect(eventually {
            readiness = try? get("/ready", port: port)
            return readiness?.status == 503
        }, "readiness fails as soon as shutdown begins, while new connections are still accepted")
        #expect(readiness?.problemCode == "shutting_down")

        try kept.send(RawHTTPConnection.request("GET", "/during"))
        let during = try kept.readResponse()
        #expect(during.status == 200)
        #expect(during.bodyText == "ok /during")
        #expect(during.closesConnection)
        #expect(kept.waitForClose(timeout: 2))
        #expect(!stopping.join(timeout: 0.5), "the listener stays open for the lame duck")
        #expect(try get("/inline-during", port: port).closesConnection, "an I/O-thread answer closes too")

        #expect(stopping.join(timeout: 10))
        #expect((try? RawHTTPConnection(port: port, timeout: 1)) == nil, "the listener is closed")
    }

    /// A connection accepted before the listener closed, whose request had
    /// not arrived yet (a load balancer just connected), is answered: closed
    /// unanswered, its request would fail where no other instance got it.
    @Test func aConnectionNotYetAnsweredGetsItsRequestServedDuringTheDrain() throws {
        let server = try startServer { $0.shutdownGracePeriod = 5 }
        let port = server.port
        let fresh = try RawHTTPConnection(port: port)
        #expect(eventually { (try? get("/warm", port: port))?.status == 200 }, "the fresh connection is accepted")

        let stopping = BackgroundThread { server.shutdown() }
        #expect(eventually {
            (try? RawHTTPConnection(port: port, timeout: 1)) == nil
        }, "the listener is closed")
        try fresh.send(RawHTTPConnection.request("GET", "/late"))
        let late = try fresh.readResponse(timeout: 5)
        #expect(late.status == 200)
        #expect(late.bodyText == "ok /late")
        #expect(late.closesConnection)
        #expect(stopping.join(timeout: 10))
    }

    @Test func announcingStartsTheLameDuckAndShutdownWaitsOutOnlyWhatIsLeft() throws {
        let server = try startServer { $0.lameDuckPeriod = 1 }
        server.announceShutdown()
        #expect(try get("/ready", port: server.port).status == 503)
        usleep(600_000)  // part of the period passes before shutdown is called
        let took = seconds { server.shutdown() }
        #expect(took > 0.2 && took < 0.9, "shutdown waited \(took) s, not what was left of the lame duck")
    }

    @Test func shutdownDoesNotWaitBeyondTheGracePeriod() throws {
        let gate = Latch()
        defer { gate.open() }
        let entered = Counter()
        let responder = ClosureResponder { _ in
            entered.increment()
            gate.wait()
            return HTTPResponse(status: 200)
        }
        let server = try startServer(responder: responder) { $0.shutdownGracePeriod = 0.5 }
        let stuck = try RawHTTPConnection(port: server.port)
        try stuck.send(RawHTTPConnection.request("GET", "/stuck"))
        #expect(eventually { entered.count == 1 })
        let took = seconds { server.shutdown() }
        #expect(took >= 0.4 && took < 2, "shutdown took \(took) s")
        #expect(stuck.waitForClose(timeout: 2))
    }

    @Test func shutdownIsIdempotentAndWaitersAreReleased() throws {
        let server = try startServer()
        let waiter = BackgroundThread { server.waitUntilStopped() }
        let second = BackgroundThread { server.shutdown() }
        server.shutdown()
        server.shutdown()
        #expect(second.join(timeout: 5))
        #expect(waiter.join(timeout: 5))
    }

    @Test func shutdownBeforeStartIsANoOp() {
        let server = HTTPServer(configuration: HTTPServerConfiguration(), responder: RoutingResponder())
        server.shutdown()
        server.waitUntilStopped()
        #expect(throws: HTTPServerError.alreadyStarted) { try server.start() }
    }
}
