import BanyanTestSupport
import Foundation
import Testing

/// `BANYAN_CLUSTER=1`, the real executables: an instance given less than
/// every shared setting refuses to start, names them all and leaves nothing
/// behind; one given all of them starts and keeps no secret of its own.
@Suite struct ClusterStartTests {
    /// Every setting an instance could otherwise make for itself, unset.
    static let unshared: [String: String?] = [
        "DATABASE_URL": nil, "BANYAN_DB_SECRET": nil, "BANYAN_DB_PASSWORD": nil, "BANYAN_OPS_TOKEN": nil,
        "BANYAN_SERVICE_SECRET": nil, "JWT_SECRET_KEY": nil,
    ]

    /// The state directory's entries (the tests give each process an empty one).
    func entries(_ home: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: home).sorted()
    }

    @Test func aGatewayMissingSharedSettingsNamesThemAllAndCreatesNothing() throws {
        let home = try ChildProcess.makePrivateDirectory("cluster-gw")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let run = try ChildProcess.run(
            ChildProcess.product("banyan"), ["serve"],
            environment: Self.unshared.merging([
                "BANYAN_CLUSTER": "1", "BANYAN_HOME": home, "BANYAN_PORT": "0", "BANYAN_INTERNAL_PORT": "0",
            ]) { _, new in new },
            directory: home, within: 60)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        let output = run.stdout + run.stderr
        for name in ["DATABASE_URL", "BANYAN_DB_SECRET", "BANYAN_OPS_TOKEN", "BANYAN_SERVICE_SECRET", "JWT_SECRET_KEY"] {
            #expect(output.contains(name), "\(name) not named: \(output)")
        }
        let left = try entries(home)
        #expect(left.isEmpty, "the refused start left \(left) in its state directory")
    }

    @Test func aServiceMissingSharedSettingsNamesThemAndCreatesNothing() throws {
        let home = try ChildProcess.makePrivateDirectory("cluster-svc")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let run = try ChildProcess.run(
            ChildProcess.product("payments-service"), ["--port", "0"],
            environment: Self.unshared.merging(["BANYAN_CLUSTER": "1", "BANYAN_HOME": home]) { _, new in new },
            directory: home, within: 60)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("DATABASE_URL, BANYAN_SERVICE_SECRET are not set"), "\(run.stderr)")
        #expect(try entries(home).isEmpty)
    }

    @Test func aTypoInTheSettingIsRefusedRatherThanReadAsOff() throws {
        let home = try ChildProcess.makePrivateDirectory("cluster-typo")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let run = try ChildProcess.run(
            ChildProcess.product("banyan"), ["serve"],
            environment: Self.unshared.merging(["BANYAN_CLUSTER": "yes", "BANYAN_HOME": home, "BANYAN_PORT": "0"]) {
                _, new in new
            },
            directory: home, within: 60)
        #expect(run.status == 1)
        #expect(run.stderr.contains("BANYAN_CLUSTER must be 1"), "\(run.stderr)")
        #expect(try entries(home).isEmpty)
    }

    @Test func aGatewayGivenEverySharedSettingStartsAndKeepsNoSecretOfItsOwn() throws {
        let home = try ChildProcess.makePrivateDirectory("cluster-ok")
        let flags = FileManager.default.currentDirectoryPath + "/flags.json"
        let child = try ChildProcess.start(
            ChildProcess.product("banyan"), ["serve"],
            environment: [
                "BANYAN_CLUSTER": "1", "BANYAN_HOME": home, "BANYAN_PORT": "0", "BANYAN_INTERNAL_PORT": "0",
                "BANYAN_FLAGS": flags, "DATABASE_URL": TestDatabase.makeDatabase("cluster"),
                "BANYAN_DB_SECRET": TestDatabase.roleSecret, "BANYAN_DB_PASSWORD": nil,
                "BANYAN_OPS_TOKEN": "ops-token-shared-by-every-instance",
                "BANYAN_SERVICE_SECRET": "service-secret-shared-by-every-instance-0123",
                "JWT_SECRET_KEY": "jwt-secret-shared-by-every-instance-0123456789",
            ],
            directory: home, mergingStandardError: true, owning: home)
        _ = try child.waitForPort(announcedAs: "gateway listening", within: 120)
        let kept = try entries(home).filter { ["jwt-secret", "ops-token", "service-secret", "db-secret", "pg"].contains($0) }
        #expect(kept.isEmpty, "a cluster instance made \(kept) of its own")
        #expect(child.stop() == .success)
    }
}
