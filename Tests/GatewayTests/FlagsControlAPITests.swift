import BanyanTestSupport
import Facade
import Flags
import Foundation
import PaymentsAPI
import Testing

/// The flags control plane over HTTP: `PUT /admin/flags` writes a whole
/// new flags.json only from the version the caller read (`If-Match`), with
/// an actor and a reason, past the gate; `POST /admin/flags/preview` says
/// what would move; `GET /admin/flags/history` shows what was recorded.
@Suite struct FlagsControlAPITests {
    let app: TestGateway
    init() throws { app = try TestGateway() }

    static var fullPayments: ContractDescription {
        ContractDescription(module: "payments", operations: PaymentsOperations.interface.operations)
    }

    /// The first file, written by hand: the control plane edits an existing one.
    private func start(with document: [String: Any]) throws -> String {
        let temporary = app.flagsPath + ".tmp"
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, app.flagsPath) == 0 else { throw TestFailure("rename: errno \(errno)") }
        let version = FlagsVersion(of: try fileBytes()).description
        let loaded = try app.eventually(within: 10) {
            try app.call("GET", "/admin/flags", token: app.opsToken).json["version"] as? String == version
        }
        guard loaded else {
            let flags = try app.call("GET", "/admin/flags", token: app.opsToken)
            throw TestFailure("the gateway did not load \(version): \(flags.json["last_error"] ?? "")")
        }
        return "\"\(version)\""
    }

    private func fileBytes() throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: app.flagsPath)))
    }

    private func put(
        _ document: [String: Any], ifMatch: String?, actor: String? = "alice", reason: String? = "move cafe",
        forceReason: String? = nil
    ) throws -> TestGateway.Reply {
        var body: [String: Any] = ["document": document]
        if let reason { body["reason"] = reason }
        if let forceReason { body["force_reason"] = forceReason }
        var headers: [(name: String, value: String)] = []
        if let ifMatch { headers.append(("if-match", ifMatch)) }
        if let actor { headers.append(("x-banyan-actor", actor)) }
        return try app.call("PUT", "/admin/flags", token: app.opsToken, json: body, headers: headers)
    }

    private func paymentsTo(_ url: String, tenants: [String: String], default home: String = "in-process")
        -> [String: Any]
    {
        ["services": ["payments": url], "modules": ["payments": ["default": home, "tenants": tenants]]]
    }

    @Test func aPutFromTheVersionReadIsWrittenLoadedAndRecorded() throws {
        let stub = try ContractStub(contract: Self.fullPayments)
        defer { stub.stop() }
        let etag = try start(with: paymentsTo(stub.url, tenants: [:]))

        let reply = try put(paymentsTo(stub.url, tenants: ["cafe": "service"]), ifMatch: etag)
        #expect(reply.status == 200, "\(reply.json)")
        let written = FlagsVersion(of: try fileBytes())
        #expect(reply.json["version"] as? String == written.description)
        let tenantChanges = (reply.json["changes"] as? [String: Any])?["tenant_changes"] as? [[String: Any]] ?? []
        #expect(tenantChanges.count == 1)
        #expect(tenantChanges.first?["tenant"] as? String == "cafe")
        #expect(tenantChanges.first?["to"] as? String == "service")
        #expect((reply.json["gate"] as? [String: Any])?["result"] as? String == "passed")
        let auditID = try #require(reply.json["audit_id"] as? Int)

        // Reloaded before the answer: GET shows the new version and routing at once.
        let flags = try app.call("GET", "/admin/flags", token: app.opsToken)
        #expect(flags.json["version"] as? String == written.description)
        #expect(flags.header("etag") == written.etag)
        let routed = ((flags.json["active"] as? [String: Any])?["modules"] as? [String: [String: Any]])?["payments"]
        #expect(routed?["tenants"] as? [String: String] == ["cafe": "service"])

        let history = try app.call("GET", "/admin/flags/history?module=payments&tenant=cafe", token: app.opsToken)
        #expect(history.status == 200)
        let entry = try #require(history.array.first)
        #expect(entry["id"] as? Int == auditID)
        #expect(entry["actor"] as? String == "alice")
        #expect(entry["reason"] as? String == "move cafe")
        #expect(entry["source"] as? String == "api")
        #expect(entry["to_version"] as? String == written.description)
        #expect(entry["from_version"] as? String == etag.trimmingCharacters(in: ["\""]))
        let before = (entry["before"] as? [String: Any])?["modules"] as? [String: [String: Any]]
        let after = (entry["after"] as? [String: Any])?["modules"] as? [String: [String: Any]]
        #expect(before?["payments"]?["tenants"] as? [String: String] == [:])
        #expect(after?["payments"]?["tenants"] as? [String: String] == ["cafe": "service"])
        let other = try app.call("GET", "/admin/flags/history?tenant=someone-else", token: app.opsToken)
        #expect(other.status == 200)
        #expect(other.array.isEmpty)
    }

    @Test func aPutKeepsTheFilesOrderSoItsDiffIsTheChange() throws {
        let stub = try ContractStub(contract: Self.fullPayments)
        defer { stub.stop() }
        // Written by hand, in no sorted order: restaurant before payments, zz before aa.
        let text = """
            {
              "services": {
                "restaurant": "http://127.0.0.1:1",
                "payments": "\(stub.url)"
              },
              "modules": {
                "restaurant": { "default": "in-process", "tenants": { "zz-last": "service", "aa-first": "service" } },
                "payments": { "default": "in-process", "tenants": {} }
              }
            }

            """
        let temporary = app.flagsPath + ".tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, app.flagsPath) == 0 else { throw TestFailure("rename: errno \(errno)") }
        let version = FlagsVersion(of: Array(text.utf8))
        #expect(
            try app.eventually(within: 10) {
                try app.call("GET", "/admin/flags", token: app.opsToken).json["version"] as? String == version.description
            })

        // The same document as JSON (whose keys keep no order), with one tenant added.
        let document: [String: Any] = [
            "services": ["restaurant": "http://127.0.0.1:1", "payments": stub.url],
            "modules": [
                "restaurant": ["default": "in-process", "tenants": ["aa-first": "service", "zz-last": "service"]],
                "payments": ["default": "in-process", "tenants": ["cafe": "service"]],
            ],
        ]
        let reply = try put(document, ifMatch: version.etag)
        #expect(reply.status == 200, "\(reply.json)")
        let written = String(decoding: try fileBytes(), as: UTF8.self).split(separator: "\n")
        let before = text.split(separator: "\n")
        #expect(written.count == before.count, "\(written)")
        let differing = zip(before, written).filter { $0.0 != $0.1 }.map(\.1)
        #expect(differing == [#"    "payments": { "default": "in-process", "tenants": { "cafe": "service" } }"#], "\(written)")
    }

    @Test func aStaleOrMissingPreconditionActorOrReasonWritesNothing() throws {
        let stub = try ContractStub(contract: Self.fullPayments)
        defer { stub.stop() }
        let etag = try start(with: paymentsTo(stub.url, tenants: [:]))
        let original = try fileBytes()
        let candidate = paymentsTo(stub.url, tenants: ["cafe": "service"])

        let stale = try put(candidate, ifMatch: "\"sha256:\(String(repeating: "0", count: 64))\"")
        #expect(stale.status == 412)
        #expect(stale.code == "version_mismatch")
        #expect(stale.header("content-type") == "application/problem+json")
        let unconditional = try put(candidate, ifMatch: nil)
        #expect(unconditional.status == 428)
        #expect(unconditional.code == "precondition_required")
        let anonymous = try put(candidate, ifMatch: etag, actor: nil)
        #expect(anonymous.status == 400)
        #expect(anonymous.code == "actor_required")
        let blank = try put(candidate, ifMatch: etag, actor: "  ")
        #expect(blank.code == "actor_required")
        let unexplained = try put(candidate, ifMatch: etag, reason: nil)
        #expect(unexplained.status == 422)
        #expect(unexplained.code == "reason_required")
        let invalid = try put(
            ["services": [:], "modules": ["payments": ["default": "elsewhere", "tenants": [:]]]], ifMatch: etag)
        #expect(invalid.status == 422)
        #expect(invalid.code == "invalid_flags")
        #expect((invalid.json["field"] as? String)?.hasPrefix("document.modules.payments") == true, "\(invalid.json)")

        #expect(try fileBytes() == original)
        #expect(try app.call("GET", "/admin/flags/history", token: app.opsToken).array.isEmpty)
    }

    @Test func aPreviewListsExactlyTheTenantsThatMove() throws {
        let stub = try ContractStub(contract: Self.fullPayments)
        defer { stub.stop() }
        // cafe-b and cafe-c are named (in orders) so the files know them; cafe-a is moved explicitly.
        let current: [String: Any] = [
            "services": ["payments": stub.url],
            "modules": [
                "payments": ["default": "in-process", "tenants": ["cafe-a": "service"]],
                "orders": ["default": "in-process", "tenants": ["cafe-b": "in-process", "cafe-c": "in-process"]],
            ],
        ]
        _ = try start(with: current)
        let original = try fileBytes()
        var candidate = current
        candidate["modules"] = [
            "payments": ["default": "service", "tenants": ["cafe-a": "in-process"]],
            "orders": ["default": "in-process", "tenants": ["cafe-b": "in-process", "cafe-c": "in-process"]],
        ]
        let reply = try app.call("POST", "/admin/flags/preview", token: app.opsToken, json: ["document": candidate])
        #expect(reply.status == 200, "\(reply.json)")
        let changes = try #require(reply.json["changes"] as? [String: Any])
        let moved = (changes["tenant_changes"] as? [[String: Any]] ?? []).map {
            "\($0["module"] ?? "")/\($0["tenant"] ?? ""): \($0["from"] ?? "") → \($0["to"] ?? "") (\($0["why"] ?? ""))"
        }
        #expect(
            moved == [
                "payments/cafe-a: service → in-process (explicit)", "payments/cafe-b: in-process → service (default)",
                "payments/cafe-c: in-process → service (default)",
            ])
        let moduleChanges = changes["module_changes"] as? [[String: Any]] ?? []
        #expect(moduleChanges.count == 1)
        #expect(moduleChanges.first?["field"] as? String == "default")
        #expect((reply.json["refused"] as? [Any])?.isEmpty == true)
        #expect(try fileBytes() == original)
    }

    @Test func aFlipToAServiceThatDroppedAnOperationIsRefusedUnlessForced() throws {
        let dropped = try ContractStub(
            contract: ContractDescription(
                module: "payments", operations: Self.fullPayments.operations.filter { $0.name != "payments.charge" }))
        defer { dropped.stop() }
        let etag = try start(with: paymentsTo(dropped.url, tenants: [:]))
        let original = try fileBytes()
        let candidate = paymentsTo(dropped.url, tenants: ["cafe": "service"])

        let preview = try app.call("POST", "/admin/flags/preview", token: app.opsToken, json: ["document": candidate])
        let refused = preview.json["refused"] as? [[String: Any]] ?? []
        #expect(refused.contains { ($0["problem"] as? String)?.contains("payments.charge") == true }, "\(preview.json)")

        let refusal = try put(candidate, ifMatch: etag)
        #expect(refusal.status == 409)
        #expect(refusal.code == "flip_refused")
        #expect((refusal.json["findings"] as? [Any])?.isEmpty == false)
        #expect(try fileBytes() == original)

        let forced = try put(candidate, ifMatch: etag, forceReason: "the charge path is unused by cafe")
        #expect(forced.status == 200, "\(forced.json)")
        let gate = forced.json["gate"] as? [String: Any]
        #expect(gate?["result"] as? String == "forced")
        #expect(gate?["force_reason"] as? String == "the charge path is unused by cafe")
        #expect(try fileBytes() != original)
        let history = try app.call("GET", "/admin/flags/history?limit=1", token: app.opsToken).array
        #expect((history.first?["gate"] as? [String: Any])?["result"] as? String == "forced")
        #expect(history.first?["id"] as? Int == forced.json["audit_id"] as? Int)
    }
}
