import BanyanTestSupport
import Flags
import Foundation
import Testing

/// The version `GET /admin/flags` and `/ready` report is the file's own
/// (`sha256:` of its bytes), the same in every process reading it, and the
/// ETag an operator sends back as `If-Match`; the per-process load counter
/// is `load`.
@Suite struct FlagsVersionTests {
    let app: TestGateway
    init() throws { app = try TestGateway() }

    @Test func withoutAFileThereIsNoVersionAndNoETag() throws {
        let flags = try app.call("GET", "/admin/flags", token: app.opsToken)
        #expect(flags.status == 200)
        #expect(flags.json["version"] is NSNull)
        #expect(flags.json["load"] as? Int == 0)
        #expect(flags.header("etag") == nil)
        let ready = try app.call("GET", "/ready")
        let readiness = try #require(ready.json["flags"] as? [String: Any])
        #expect(readiness["version"] is NSNull)
        #expect(readiness["load"] as? Int == 0)
    }

    @Test func theVersionIsTheHashOfTheFileInForce() throws {
        try app.route("payments", of: ["cafe-a"], to: "http://127.0.0.1:1")
        let first = FlagsVersion(of: try bytes(of: app.flagsPath))
        let flags = try app.call("GET", "/admin/flags", token: app.opsToken)
        #expect(flags.json["version"] as? String == first.description)
        #expect(flags.header("etag") == first.etag)
        #expect(flags.json["load"] as? Int == 1)
        let ready = try #require(try app.call("GET", "/ready").json["flags"] as? [String: Any])
        #expect(ready["version"] as? String == first.description)
        #expect(ready["load"] as? Int == 1)

        try app.route("payments", of: ["cafe-b"], to: "http://127.0.0.1:1")
        let second = FlagsVersion(of: try bytes(of: app.flagsPath))
        #expect(second != first)
        let after = try app.call("GET", "/admin/flags", token: app.opsToken)
        #expect(after.json["version"] as? String == second.description)
        #expect(after.header("etag") == second.etag)
        #expect(after.json["load"] as? Int == 2)
    }

    private func bytes(of path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
