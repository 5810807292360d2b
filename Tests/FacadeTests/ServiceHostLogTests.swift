import Facade
import Foundation
import Glibc
import Platform
import Testing

@Suite("ServiceHost logging")
struct ServiceHostLogTests {
    /// The log's lines, read from a pipe until `expected` lines came or two seconds passed.
    private func lines(from fd: Int32, expected: Int) -> [[String: JSONValue]] {
        var text = ""
        let deadline = Date().addingTimeInterval(2)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while text.split(separator: "\n").count < expected, Date() < deadline {
            let count = read(fd, &buffer, buffer.count)
            if count > 0 {
                text += String(decoding: buffer[..<count], as: UTF8.self)
            } else {
                usleep(5_000)  // polling the pipe for lines the log thread writes; bounded by the deadline
            }
        }
        return text.split(separator: "\n").compactMap { line in
            guard case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
            else { return nil }
            return members
        }
    }

    @Test func oneJSONLinePerRequest() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        // The write end stays open: the log's thread may still hold it.
        defer { close(fds[0]) }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        let log = Log(fileDescriptor: fds[1])
        let service = try EchoService(log: log)
        let context = Fixtures.context()
        #expect(throws: EchoError(kind: .busy)) {
            try service.transport().call(EchoOperations.fail, context, FailRequest(code: "echo_busy"))
        }
        _ = try? service.send("GET", "/health")
        service.shutdown()
        log.flush()

        let logged = lines(from: fds[0], expected: 2)
        let call = try #require(logged.first { $0["path"] == .string("/operations/echo.fail") })
        #expect(call["msg"] == .string("request"))
        #expect(call["method"] == .string("POST"))
        #expect(call["status"] == .int(409))
        #expect(call["request_id"] == .string(context.requestID))
        #expect(call["tenant"] == .string("demo-bistro"))
        #expect(call["operation"] == .string("echo.fail"))
        if case .double? = call["duration_ms"] {} else if case .int? = call["duration_ms"] {} else {
            Issue.record("duration_ms missing: \(call)")
        }
        #expect(logged.contains { $0["path"] == .string("/health") && $0["status"] == .int(200) })
    }
}
