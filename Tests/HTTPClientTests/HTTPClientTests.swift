import Foundation
import HTTPClient
import HTTPServer
import Testing

@Suite struct HTTPClientTests {
    /// Runs `body` against a fresh server on a free loopback port.
    func withServer<T>(
        maxBodyBytes: Int = 1 << 20, _ body: (String, LoopbackResponder) throws -> T
    ) throws -> T {
        let responder = LoopbackResponder()
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.maxBodyBytes = maxBodyBytes
        configuration.shutdownGracePeriod = 1
        let server = HTTPServer(configuration: configuration, responder: responder)
        try server.start()
        defer { server.shutdown() }
        return try body("http://127.0.0.1:\(server.port)", responder)
    }

    let client = HTTPClient(connectTimeout: 1, totalTimeout: 5)

    @Test func getReturnsStatusHeadersAndBody() throws {
        try withServer { base, _ in
            let response = try client.send(method: "GET", url: base + "/echo?x=1", headers: [("X-Test", "hello")])
            #expect(response.status == 200)
            #expect(response.header("x-seen-method") == "GET")
            #expect(response.header("X-SEEN-TARGET") == "/echo?x=1")
            #expect(response.header("x-seen-test") == "hello")
            #expect(response.header("x-seen-content-length") == "none")
            #expect(response.body.isEmpty)
            #expect(response.header("no-such-header") == nil)
        }
    }

    @Test(arguments: ["POST", "PUT", "PATCH", "DELETE"])
    func bodyAndHeadersRoundTrip(method: String) throws {
        try withServer { base, _ in
            let body = Array(#"{"amount":1250,"currency":"EUR","note":"naïve ☕"}"#.utf8)
            let response = try client.send(
                method: method, url: base + "/echo",
                headers: [("content-type", "application/json"), ("x-test", "value with spaces")], body: body)
            #expect(response.status == 200)
            #expect(response.header("x-seen-method") == method)
            #expect(response.header("content-type") == "application/json")
            #expect(response.header("x-seen-test") == "value with spaces")
            #expect(response.header("x-seen-content-length") == String(body.count))
            #expect(response.body == body)
        }
    }

    @Test func binaryBodyWithZerosRoundTrips() throws {
        try withServer { base, _ in
            let body: [UInt8] = [0, 1, 0, 255, 0, 13, 10, 0]
            let response = try client.send(method: "POST", url: base + "/echo", body: body)
            #expect(response.body == body)
        }
    }

    @Test func postWithoutBodySendsZeroContentLength() throws {
        try withServer { base, _ in
            let response = try client.send(method: "POST", url: base + "/echo")
            #expect(response.status == 200)
            #expect(response.header("x-seen-content-length") == "0")
            #expect(response.body.isEmpty)
        }
    }

    @Test func largeBodyIsSentWithoutExpectContinue() throws {
        // libcurl adds `Expect: 100-continue` above 1 MiB.
        try withServer(maxBodyBytes: 4 << 20) { base, _ in
            let body = [UInt8]((0..<1_500_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            let started = ContinuousClock.now
            let response = try client.send(method: "POST", url: base + "/echo", body: body)
            #expect(response.status == 200)
            #expect(response.header("x-seen-expect") == "none")
            #expect(response.body == body)
            // libcurl's 100-continue wait would add a full second.
            #expect(ContinuousClock.now - started < .milliseconds(900))
        }
    }

    @Test func headRequestDoesNotWaitForABody() throws {
        try withServer { base, _ in
            let response = try client.send(method: "HEAD", url: base + "/echo", totalTimeout: 2)
            #expect(response.status == 200)
            #expect(response.header("x-seen-method") == "HEAD")
            #expect(response.body.isEmpty)
        }
    }

    @Test func nonSuccessStatusesAreReturnedNotThrown() throws {
        try withServer { base, _ in
            let teapot = try client.send(method: "GET", url: base + "/teapot")
            #expect(teapot.status == 418)
            #expect(teapot.body == Array("short and stout".utf8))
            let missing = try client.send(method: "GET", url: base + "/missing")
            #expect(missing.status == 404)
            #expect(missing.header("content-type") == "application/problem+json")
            #expect(String(decoding: missing.body, as: UTF8.self).contains("no_such_thing"))
        }
    }

    @Test func redirectsAreNotFollowed() throws {
        try withServer { base, _ in
            let response = try client.send(method: "GET", url: base + "/redirect")
            #expect(response.status == 302)
            #expect(response.header("location") == "/echo")
        }
    }

    @Test func repeatedAndCaseVariedHeadersAreKeptInOrder() throws {
        try withServer { base, _ in
            let response = try client.send(method: "GET", url: base + "/repeated")
            let cookies = response.headers.filter { $0.name.lowercased() == "set-cookie" }.map(\.value)
            #expect(cookies == ["a=1", "b=2"])
            #expect(response.header("x-mixed-case") == "padded value")
            #expect(response.header("set-cookie") == "a=1")
        }
    }

    @Test func connectionRefusedFailsFastAsConnectFailed() throws {
        let socket = try LoopbackPort.refusing()
        let started = ContinuousClock.now
        #expect {
            _ = try client.send(method: "GET", url: "http://127.0.0.1:\(socket.port)/", connectTimeout: 2)
        } throws: { error in
            guard let error = error as? HTTPClientError else { return false }
            return error == .connectFailed && error.isConnectFailure && !error.isTimeout
        }
        #expect(ContinuousClock.now - started < .milliseconds(500))
    }

    @Test func unansweredConnectTimesOutAsConnectTimeout() throws {
        let socket = try LoopbackPort.unresponsive()
        let started = ContinuousClock.now
        #expect {
            _ = try client.send(method: "GET", url: "http://127.0.0.1:\(socket.port)/", connectTimeout: 0.3, totalTimeout: 3)
        } throws: { error in
            guard let error = error as? HTTPClientError else { return false }
            // Nothing was sent: a caller may safely retry elsewhere.
            return error == .connectTimedOut && error.isConnectFailure && error.isTimeout
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(280))
        #expect(elapsed < .milliseconds(2500))
    }

    @Test func slowHandlerTimesOut() throws {
        try withServer { base, responder in
            defer { responder.gate.signal() }
            let started = ContinuousClock.now
            #expect {
                _ = try client.send(method: "GET", url: base + "/slow", totalTimeout: 0.3)
            } throws: { error in
                guard let error = error as? HTTPClientError else { return false }
                return error == .timedOut && error.isTimeout && !error.isConnectFailure
            }
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .milliseconds(280))
            #expect(elapsed < .milliseconds(2000))
        }
    }

    @Test func responsesOverTheLimitAreRefused() throws {
        try withServer { base, _ in
            let small = HTTPClient(maxResponseBytes: 10_000)
            let fits = try small.send(method: "GET", url: base + "/big?size=5000")
            #expect(fits.body.count == 5000)
            #expect(throws: HTTPClientError.responseTooLarge) {
                try small.send(method: "GET", url: base + "/big?size=200000")
            }
            // The same thread's handle still works afterwards.
            let after = try small.send(method: "GET", url: base + "/big?size=10")
            #expect(after.body.count == 10)
        }
    }

    @Test func badURLsAndRequestsAreRefusedBeforeSending() {
        for url in ["ftp://127.0.0.1/", "file:///etc/passwd", "gopher://127.0.0.1/", "http://[::1", "http://a b/", "http://127.0.0.1/\u{0}x"] {
            #expect(throws: HTTPClientError.invalidURL, "\(url)") { try client.send(method: "GET", url: url) }
        }
        #expect(throws: HTTPClientError.invalidRequest) {
            try client.send(method: "GET", url: "http://127.0.0.1:1/", headers: [("x-test", "a\r\nInjected: yes")])
        }
        #expect(throws: HTTPClientError.invalidRequest) {
            try client.send(method: "GET", url: "http://127.0.0.1:1/", headers: [("bad name", "x")])
        }
        #expect(throws: HTTPClientError.invalidRequest) { try client.send(method: "GE T", url: "http://127.0.0.1:1/") }
        #expect(throws: HTTPClientError.invalidRequest) { try client.send(method: "", url: "http://127.0.0.1:1/") }
    }

    @Test func sequentialRequestsOnOneThreadReuseTheConnection() throws {
        try withServer { base, _ in
            // A dedicated thread: the handle, and so the connection, is per thread.
            let remotes = try onNewThread { () throws -> [String?] in
                try (0..<3).map { _ in try client.send(method: "GET", url: base + "/echo").header("x-seen-remote") }
            }
            #expect(remotes.count == 3)
            #expect(remotes[0] != nil)
            #expect(Set(remotes).count == 1, "\(remotes)")
        }
    }

    @Test func concurrentRequestsFromManyThreads() throws {
        try withServer { base, _ in
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 8) { worker in
                for request in 0..<40 {
                    let body = Array("worker \(worker) request \(request)".utf8)
                    do {
                        let response = try client.send(method: "POST", url: base + "/echo", body: body)
                        if response.status != 200 || response.body != body {
                            failures.record("worker \(worker) request \(request): \(response.status)")
                        }
                    } catch {
                        failures.record("worker \(worker) request \(request): \(String(reflecting: error))")
                    }
                }
            }
            #expect(failures.all.isEmpty, "\(failures.all.prefix(5))")
        }
    }

    @Test func errorsCompareByKindAndKeepDetail() {
        #expect(HTTPClientError.timedOut == .timedOut)
        #expect(HTTPClientError.timedOut != .connectFailed)
        #expect(HTTPClientError.connectTimedOut.isTimeout && HTTPClientError.connectTimedOut.isConnectFailure)
        #expect(HTTPClientError.transport.description == "HTTPClientError.transport")
        do {
            _ = try client.send(method: "GET", url: "ftp://127.0.0.1/")
            Issue.record("ftp was accepted")
        } catch {
            #expect(!error.detail.isEmpty)
            #expect(!error.description.contains("127.0.0.1"))
        }
    }
}

/// Runs `body` on a new thread and waits for its result.
func onNewThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.set(Result { try body() })
        done.signal()
    }
    thread.start()
    done.wait()
    return try box.get()
}

/// Hands a result from one thread to another; the lock makes that safe.
final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?
    func set(_ value: Result<T, any Error>) { lock.withLock { result = value } }
    func get() throws -> T { try lock.withLock { result! }.get() }
}

/// Collects failure messages from several threads; the lock makes that safe.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func record(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}
