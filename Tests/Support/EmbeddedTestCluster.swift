import Foundation
import Postgres
import Synchronization

/// What becomes of the embedded cluster `TestDatabase` started (or joined)
/// under `.banyan/test-pg` when the test process exits: released, so the
/// last process using it stops it — unless `BANYAN_TEST_KEEP_PG=1` asked to
/// keep it, which is then said on stderr with how to stop it.
enum EmbeddedTestCluster {
    /// The setting that keeps the cluster running after the tests.
    static let keepSetting = "BANYAN_TEST_KEEP_PG"

    private static let held = Mutex<EmbeddedPostgres?>(nil)

    static func letGoAtExit(_ cluster: EmbeddedPostgres) {
        held.withLock { $0 = cluster }
        // A C function pointer: it captures nothing and finds the cluster in `held`.
        atexit { EmbeddedTestCluster.exiting() }
    }

    private static func exiting() {
        guard let cluster = held.withLock({ held in defer { held = nil }; return held }) else { return }
        if ProcessInfo.processInfo.environment[keepSetting] == "1" {
            FileHandle.standardError.write(
                Data(
                    """
                    PostgreSQL for the tests is left running under \(cluster.directory) (\(keepSetting)=1).
                    Stop it with: pg_ctl -D \(cluster.directory)/data stop
                    (as the directory's owner: postgres when the tests ran as root; Debian keeps pg_ctl
                    in /usr/lib/postgresql/<version>/bin)

                    """.utf8))
            return
        }
        cluster.release()
    }
}
