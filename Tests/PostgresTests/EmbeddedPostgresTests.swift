import Foundation
import Postgres
import Testing

@Suite struct EmbeddedPostgresTests {
    static let diary = ModuleSchema(
        name: "diary", migrations: [Migration(version: 1, name: "pages", sql: "CREATE TABLE pages (body text NOT NULL)")])

    /// initdb, write, stop, start again, read. The directory is long enough
    /// that the socket cannot live inside it, so the /tmp fallback is used.
    @Test func embeddedClusterKeepsDataAcrossRestarts() throws {
        let root = "/tmp/banyan-embedded-" + UUID().uuidString.prefix(8).lowercased()
        let directory = root + "/" + String(repeating: "d", count: 90)
        var socketDirectory: String?
        defer {
            try? FileManager.default.removeItem(atPath: root)
            if let socketDirectory { try? FileManager.default.removeItem(atPath: socketDirectory) }
        }
        let options = Database.Options(
            databaseURL: nil, embeddedDirectory: directory, rolePassword: { "pw-" + $0 }, poolSize: 2)

        let first = try Database.open(modules: [Self.diary], options: options)
        try first.pool(for: "diary").transaction(tenant: nil) { connection in
            try connection.execute("INSERT INTO pages VALUES (\("kept across restarts"))")
        }
        // A second open in the same process shares the running cluster and keeps it up.
        let second = try Database.open(modules: [Self.diary], options: options)
        first.shutdown()
        #expect(second.ping())

        let admin = try PostgresConnection(conninfo: second.adminConnectionInfo)
        let settings = try #require(
            try admin.query(
                "SELECT current_setting('listen_addresses') AS tcp, current_setting('unix_socket_directories') AS sockets"
            ).first)
        #expect(try settings.string("tcp") == "")  // no TCP listener
        socketDirectory = try settings.string("sockets")
        #expect(socketDirectory?.hasPrefix("/tmp/banyan-") == true)
        admin.close()

        var socketInfo = stat()
        #expect(stat(socketDirectory ?? "", &socketInfo) == 0)
        #expect(socketInfo.st_mode & 0o777 == 0o700)
        var passwordInfo = stat()
        #expect(stat(directory + "/superuser-password", &passwordInfo) == 0)
        #expect(passwordInfo.st_mode & 0o777 == 0o600)

        second.shutdown()
        #expect(!FileManager.default.fileExists(atPath: directory + "/data/postmaster.pid"))
        #expect(!second.ping())

        let third = try Database.open(modules: [Self.diary], options: options)
        defer { third.shutdown() }
        let body = try third.pool(for: "diary").withConnection {
            try $0.query("SELECT body FROM pages").first?.string("body")
        }
        #expect(body == "kept across restarts")
    }
}
