import BanyanTestSupport
import Foundation
import Testing

/// The migration console in a real browser: headless Chromium loads
/// `/admin/console`, flips a tenant's payments to the service through the
/// page's own form (preview, then apply), and the next API response's
/// `x-banyan-route` shows the move. A screenshot is kept as an artifact.
@Suite(.serialized) struct ConsoleTests {
    /// `BANYAN_CHROMIUM`, else Debian's `chromium` (scripts/test installs it).
    static var chromium: String {
        ProcessInfo.processInfo.environment["BANYAN_CHROMIUM"] ?? "/usr/bin/chromium"
    }

    /// Where the screenshot goes: `BANYAN_TEST_ARTIFACTS`, else `.build/test-artifacts`.
    static var artifacts: URL {
        if let path = ProcessInfo.processInfo.environment["BANYAN_TEST_ARTIFACTS"] { return URL(fileURLWithPath: path) }
        return ChildProcess.productsDirectory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("test-artifacts")
    }

    /// Chromium, headless, on `url`: the DOM after the page's script settled (`--dump-dom`), or a screenshot.
    func browse(_ url: String, screenshot: URL? = nil) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: Self.chromium) else {
            throw TestFailure("\(Self.chromium) is missing: install Debian's chromium (./scripts/test does)")
        }
        let profile = try ChildProcess.makePrivateDirectory("chromium")
        defer { try? FileManager.default.removeItem(atPath: profile) }
        var arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile)",
            // Virtual time stops while the page's fetches are in flight, so the budget bounds the
            // page's own timers, not the gateway's answers.
            "--virtual-time-budget=20000",
        ]
        if let screenshot {
            arguments += ["--window-size=1400,1100", "--screenshot=\(screenshot.path)"]
        } else {
            arguments.append("--dump-dom")
        }
        let run = try ChildProcess.run(URL(fileURLWithPath: Self.chromium), arguments + [url], within: 120)
        guard run.exit == .success else {
            throw TestFailure("chromium exited \(run.exit): \(run.stderr.suffix(2000))")
        }
        return run.stdout
    }

    @Test func aTenantIsFlippedFromThePageAndTheNextResponseIsRoutedThere() throws {
        let app = try TestGateway()
        let service = try ServiceProcess.start("payments-service", beside: app)
        defer { service.stop() }
        try app.route("payments", of: [], to: service.url)
        let (tenant, token) = try app.tenantWithAdmin("console")
        let item = try app.addMenuItem(tenant: tenant, token: token, name: "Tea", priceCents: 250, stock: 10)
        let before = try app.placeOrder(tenant: tenant, token: token, items: [(item, 1)], method: "card", cardToken: "tok_visa")
        #expect(before.header("x-banyan-route")?.contains("payments=in-process") == true)

        let reason = "from the console"
        let fragment = [
            "token=\(app.opsToken)", "flip=payments,\(tenant),service",
            "reason=\(reason.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? reason)", "actor=ci-console",
        ].joined(separator: "&")
        let dom = try browse("\(app.baseURL)/admin/console#\(fragment)")
        #expect(dom.contains(#"data-autopilot="applied""#), "the page did not apply the flip: \(dom.suffix(3000))")
        #expect(dom.contains(tenant), "the grid lists the tenant")

        // The page's flip went through the admin API, audited as any other.
        let entry = try #require(try app.call("GET", "/admin/flags/history", token: app.opsToken).array.first)
        #expect(entry["actor"] as? String == "ci-console")
        #expect(entry["reason"] as? String == reason)
        let moved = (entry["changes"] as? [[String: Any]] ?? []).map { "\($0["tenant"] ?? "") → \($0["to"] ?? "")" }
        #expect(moved == ["\(tenant) → service"])

        let after = try app.placeOrder(tenant: tenant, token: token, items: [(item, 1)], method: "card", cardToken: "tok_visa")
        #expect(after.status == 201)
        #expect(after.header("x-banyan-route")?.contains("payments=service") == true, "\(after.header("x-banyan-route") ?? "")")

        // The artifact: the page as an operator sees it after the flip.
        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        let screenshot = Self.artifacts.appendingPathComponent("console.png")
        try? FileManager.default.removeItem(at: screenshot)
        _ = try browse("\(app.baseURL)/admin/console#token=\(app.opsToken)", screenshot: screenshot)
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        #expect(png.count > 10_000, "more than a blank page: \(png.count) bytes")
    }

    @Test func withoutTheTokenThePageShowsNoDataAndAsksForIt() throws {
        let app = try TestGateway()
        _ = try app.tenantWithAdmin("hidden")
        let dom = try browse("\(app.baseURL)/admin/console")
        #expect(dom.contains("The console needs the ops token."))
        #expect(!dom.contains("hidden-"), "no tenant is listed")
        let wrong = try browse("\(app.baseURL)/admin/console#token=not-the-token")
        #expect(!wrong.contains("hidden-"))
        #expect(wrong.contains("401") || wrong.lowercased().contains("token"), "\(wrong.suffix(1500))")
    }
}
