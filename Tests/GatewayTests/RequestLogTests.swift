import BanyanTestSupport
import Foundation
import Flags
import Gateway
import HTTPClient
import HTTPServer
import Platform
import Security
import Testing

@Suite struct RequestLogTests {
    @Test func oneJSONLinePerRequestWithItsFields() throws {
        let pipe = Pipe()
        let log = Log(fileDescriptor: pipe.fileHandleForWriting.fileDescriptor)
        let database = try TestDatabase.open(modules: Gateway.modules)
        defer { database.shutdown() }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let gateway = Gateway(
            database: database, jwtSecret: SecureRandom.bytes(32), opsToken: "ops",
            flags: try FlagsStore(path: "/nonexistent/flags.json", log: .discard),
            services: Gateway.ServiceCalls(secret: SecureRandom.bytes(32)), server: configuration,
            passwordHasher: PasswordHasher(cost: .testing), log: log)
        try gateway.start()
        defer { gateway.shutdown() }

        let base = "http://127.0.0.1:\(gateway.port)"
        _ = try HTTPClient.shared.send(method: "GET", url: base + "/health", headers: [("x-request-id", "log-test-1")])
        _ = try HTTPClient.shared.send(
            method: "GET", url: base + "/api/v1/auth/me", headers: [("x-request-id", "log-test-2"), ("x-tenant-id", "some-cafe")])
        log.flush()
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["msg"] as? String == "request" }

        #expect(lines.count == 2)
        let health = try #require(lines.first { $0["request_id"] as? String == "log-test-1" })
        #expect(health["method"] as? String == "GET")
        #expect(health["path"] as? String == "/health")
        #expect(health["status"] as? Int == 200)
        #expect(health["duration_ms"] is Double || health["duration_ms"] is Int)
        let me = try #require(lines.first { $0["request_id"] as? String == "log-test-2" })
        #expect(me["status"] as? Int == 401)
        #expect(me["tenant"] as? String == "some-cafe")
    }
}
