import Foundation
import Testing
import Security

/// Each test gets its own directory and an environment variable name no one
/// else uses: the process environment and `BANYAN_HOME` are shared with
/// every other suite in the test bundle.
@Suite struct SecretStoreTests {
    let directory = NSTemporaryDirectory() + "banyan-secrets-" + Hex.encode(SecureRandom.bytes(6))
    let variable = "BANYAN_TEST_SECRET_" + Hex.encode(SecureRandom.bytes(6)).uppercased()

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    @Test func createsA32ByteHexSecretWithMode0600() throws {
        defer { cleanUp() }
        let token = try SecretStore.loadOrCreateToken(environment: variable, file: "jwt-secret", directory: directory)
        #expect(token.count == 64)
        #expect(token.allSatisfy { "0123456789abcdef".contains($0) })
        var info = stat()
        #expect(stat(directory + "/jwt-secret", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(stat(directory, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
    }

    @Test func laterLoadsReturnTheSameSecret() throws {
        defer { cleanUp() }
        let first = try SecretStore.loadOrCreateToken(environment: variable, file: "ops-token", directory: directory)
        let second = try SecretStore.loadOrCreateToken(environment: variable, file: "ops-token", directory: directory)
        #expect(first == second)
        let other = try SecretStore.loadOrCreateToken(environment: variable, file: "other", directory: directory)
        #expect(other != first)
    }

    @Test func environmentWinsAndNoFileIsWritten() throws {
        defer { cleanUp() }
        setenv(variable, "from-the-environment", 1)
        defer { unsetenv(variable) }
        let token = try SecretStore.loadOrCreateToken(environment: variable, file: "jwt-secret", directory: directory)
        #expect(token == "from-the-environment")
        #expect(!FileManager.default.fileExists(atPath: directory + "/jwt-secret"))
        #expect(try SecretStore.loadOrCreate(environment: variable, file: "jwt-secret") == Array("from-the-environment".utf8))
    }

    @Test func emptyEnvironmentValueFallsBackToTheFile() throws {
        defer { cleanUp() }
        setenv(variable, "", 1)
        defer { unsetenv(variable) }
        let token = try SecretStore.loadOrCreateToken(environment: variable, file: "jwt-secret", directory: directory)
        #expect(token.count == 64)
    }

    @Test func existingFileIsReadTrimmed() throws {
        defer { cleanUp() }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "  operator-chosen-secret\n".write(toFile: directory + "/s", atomically: true, encoding: .utf8)
        #expect(try SecretStore.loadOrCreateToken(environment: variable, file: "s", directory: directory) == "operator-chosen-secret")
    }

    @Test func emptyFileIsAnErrorNotSilentlyReplaced() throws {
        defer { cleanUp() }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "\n".write(toFile: directory + "/s", atomically: true, encoding: .utf8)
        #expect(throws: SecretStore.Failure.self) {
            try SecretStore.loadOrCreateToken(environment: variable, file: "s", directory: directory)
        }
    }

    @Test func concurrentFirstLoadsAgreeOnOneSecret() throws {
        defer { cleanUp() }
        for round in 0..<20 {
            let file = "race-\(round)"
            let results = Results()
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                results.add(Result { try SecretStore.loadOrCreateToken(environment: variable, file: file, directory: directory) })
            }
            let values = try results.all.map { try $0.get() }
            #expect(values.count == 8)
            #expect(Set(values).count == 1, "round \(round): \(Set(values))")
        }
        // Temporary files never linger.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    /// `concurrentPerform` closures append from several threads; a lock makes that safe.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Result<String, any Error>] = []
        func add(_ value: Result<String, any Error>) { lock.withLock { values.append(value) } }
        var all: [Result<String, any Error>] { lock.withLock { values } }
    }
}
