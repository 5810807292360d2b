import BanyanTestSupport
import Foundation
import Postgres
import Testing

/// The embedded cluster `TestDatabase` starts under `.banyan/test-pg` when no
/// `BANYAN_TEST_DATABASE_URL` is given (`swift test --filter …` run by
/// hand) is stopped when the test process exits, unless the developer asked
/// to keep it. Each test runs this test bundle again as a child, in a
/// directory of its own, with only `usesTheEmbeddedCluster` enabled.
@Suite(.serialized) struct TestClusterLifetimeTests {
    static let childSetting = "BANYAN_TEST_CLUSTER_CHILD"

    /// The child's whole work: one test database in the embedded cluster.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childSetting] == "1"))
    func usesTheEmbeddedCluster() throws {
        let connection = try PostgresConnection(conninfo: TestDatabase.makeDatabase("lifetime"))
        connection.close()
    }

    /// Runs the test bundle's `usesTheEmbeddedCluster` in `directory`.
    private func runChild(in directory: String, keep: Bool) throws -> ChildProcess.Completed {
        try ChildProcess.run(
            URL(fileURLWithPath: CommandLine.arguments[0]),
            ["--testing-library", "swift-testing", "--filter", "TestClusterLifetimeTests/usesTheEmbeddedCluster"],
            environment: [
                "BANYAN_TEST_DATABASE_URL": nil, Self.childSetting: "1", "BANYAN_TEST_KEEP_PG": keep ? "1" : nil,
            ],
            directory: directory, within: 300)
    }

    private func transcript(_ run: ChildProcess.Completed) -> Comment {
        Comment(rawValue: "stdout:\n\(run.stdout.suffix(4000))\nstderr:\n\(run.stderr.suffix(4000))")
    }

    @Test func aTestProcessStopsTheClusterItStartedWhenItExits() throws {
        let directory = try ChildProcess.makePrivateDirectory("test-pg")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try runChild(in: directory, keep: false)
        let data = directory + "/.banyan/test-pg/data"
        #expect(run.status == 0, transcript(run))
        #expect(FileManager.default.fileExists(atPath: data + "/PG_VERSION"), "the child started a cluster: \(transcript(run))")
        #expect(!FileManager.default.fileExists(atPath: data + "/postmaster.pid"), "and stopped it: \(transcript(run))")
        #expect(!run.stderr.contains("left running"), transcript(run))
    }

    @Test func keepingItRunningIsAskedForAndSaidWithHowToStopIt() throws {
        let directory = try ChildProcess.makePrivateDirectory("test-pg")
        let cluster = directory + "/.banyan/test-pg"
        defer {
            // Joined and let go: the last user stops it.
            (try? EmbeddedPostgres.acquire(directory: cluster, durable: false))?.release()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let run = try runChild(in: directory, keep: true)
        #expect(run.status == 0, transcript(run))
        #expect(FileManager.default.fileExists(atPath: cluster + "/data/postmaster.pid"), "still running: \(transcript(run))")
        #expect(run.stderr.contains("PostgreSQL for the tests is left running under \(cluster)"), transcript(run))
        #expect(run.stderr.contains("Stop it with: pg_ctl -D \(cluster)/data stop"), transcript(run))
    }
}
