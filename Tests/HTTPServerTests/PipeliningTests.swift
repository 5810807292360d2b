import BanyanTestSupport
import Foundation
import Glibc
import Testing

@testable import HTTPServer

@Suite("Pipelining, ordering and back-pressure")
struct PipeliningTests {
    @Test func pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsSlowest() throws {
        try withServer({ $0.workerCount = 4 }) { server in
            let connection = try RawHTTPConnection(port: server.port)
            let batch = RawHTTPConnection.request("GET", "/slow?ms=300&id=first")
                + RawHTTPConnection.request("GET", "/fast?id=second")
                + RawHTTPConnection.request("POST", "/echo", body: Array("third".utf8))
            try connection.send(batch)  // one write
            let responses = try connection.readResponses(3)
            #expect(responses.map(\.bodyText) == ["first", "ok /fast second", "third"])
            #expect(responses.allSatisfy { $0.status == 200 })
        }
    }

    @Test func anInlineAnswerWaitsBehindAnEarlierWorkerAnswer() throws {
        try withServer { server in
            let connection = try RawHTTPConnection(port: server.port)
            try connection.send(
                RawHTTPConnection.request("GET", "/slow?ms=200&id=worker")
                    + RawHTTPConnection.request("GET", "/inline?id=1")
                    + RawHTTPConnection.request("GET", "/inline?id=2"))
            let responses = try connection.readResponses(3)
            #expect(responses.map(\.bodyText) == ["worker", "ok /inline 1", "ok /inline 2"])
        }
    }

    @Test func manyPipelinedRequestsInOneWriteAllComeBackInOrder() throws {
        try withServer { server in
            let connection = try RawHTTPConnection(port: server.port)
            var batch: [UInt8] = []
            for index in 0..<100 {
                batch += RawHTTPConnection.request("GET", index % 3 == 0 ? "/inline?id=\(index)" : "/w?id=\(index)")
            }
            try connection.send(batch)
            let responses = try connection.readResponses(100)
            for (index, response) in responses.enumerated() {
                #expect(response.bodyText.hasSuffix(" \(index)"))
            }
        }
    }

    @Test func aSlowHandlerDoesNotDelayOtherConnections() throws {
        try withServer { server in
            let slow = try RawHTTPConnection(port: server.port)
            try slow.send(RawHTTPConnection.request("GET", "/slow?ms=2000&id=slow"))
            for index in 0..<5 {
                let elapsed = try seconds {
                    let response = try get("/quick?id=\(index)", port: server.port)
                    #expect(response.bodyText == "ok /quick \(index)")
                }
                #expect(elapsed < 1, "a quick request waited \(elapsed) s behind a 2 s handler")
            }
            #expect(!slow.hasIncomingData())
            #expect(try slow.readResponse(timeout: 5).bodyText == "slow")
        }
    }

    @Test func aClientThatStopsReadingStopsBeingServed() throws {
        let calls = Counter()
        let big = [UInt8](repeating: 0x61, count: 256 * 1024)
        let responder = ClosureResponder { request in
            calls.increment()
            return HTTPResponse(status: 200, headers: HTTPHeaders([("x-id", request.query)]), body: big)
        }
        try withServer(responder: responder) { server in
            let connection = try RawHTTPConnection(port: server.port)
            let total = 200
            var batch: [UInt8] = []
            for index in 0..<total { batch += RawHTTPConnection.request("GET", "/big?\(index)") }
            try connection.send(batch)

            // Wait until the server stops producing: its output and our receive buffer are full.
            var last = -1
            #expect(eventually {
                let now = calls.count
                defer { last = now }
                usleep(200_000)
                return now == last && now > 0
            })
            #expect(calls.count < total / 2, "the server kept parsing while the client was not reading")

            // Reading drains everything, in order, and nothing was lost.
            let responses = try connection.readResponses(total, timeout: 30)
            #expect(responses.map { $0.header("x-id") } == (0..<total).map { "\($0)" })
            #expect(responses.allSatisfy { $0.body.count == big.count })
            #expect(calls.count == total)
        }
    }

    @Test func aFullRequestQueueAnswers503() throws {
        let entered = Counter()
        let gate = Latch()
        let responder = ClosureResponder { request in
            entered.increment()
            gate.wait()
            return HTTPResponse(status: 200, body: Array("done".utf8))
        }
        try withServer(responder: responder, { $0.workerCount = 1; $0.maxQueuedRequests = 1 }) { server in
            defer { gate.open() }
            let running = try RawHTTPConnection(port: server.port)
            try running.send(RawHTTPConnection.request("GET", "/a"))
            #expect(eventually { entered.count == 1 })

            let queued = try RawHTTPConnection(port: server.port)
            try queued.send(RawHTTPConnection.request("GET", "/b"))
            let refused = try RawHTTPConnection(port: server.port)
            try refused.send(RawHTTPConnection.request("GET", "/c"))

            // Exactly one of the two waiting requests fits in the queue.
            var refusedEarly = false
            for _ in 0..<300 where !refusedEarly {
                refusedEarly = queued.hasIncomingData() || refused.hasIncomingData()
                usleep(10_000)
            }
            #expect(refusedEarly)
            let queuedWasRefused = queued.hasIncomingData()
            let busyConnection = queuedWasRefused ? queued : refused
            let waitingConnection = queuedWasRefused ? refused : queued
            let busy = try busyConnection.readResponse()
            #expect(busy.status == 503)
            #expect(busy.problemCode == "server_busy")
            #expect(busy.closesConnection)
            gate.open()
            #expect(try running.readResponse().bodyText == "done")
            let served = try waitingConnection.readResponse()
            #expect(served.bodyText == "done")
        }
    }
}
