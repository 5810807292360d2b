import Foundation
import Testing
import Platform
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

    @Test func inAClusterAMissingVariableIsRefusedAndNothingIsCreated() {
        defer { cleanUp() }
        #expect(throws: MissingSharedSettings(names: [variable])) {
            try SecretStore.loadOrCreateToken(environment: variable, file: "jwt-secret", directory: directory, inCluster: true)
        }
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    /// A file from an earlier start is this instance's alone, however it got there.
    @Test func inAClusterAnExistingFileIsNotUsed() throws {
        defer { cleanUp() }
        try plant("left-by-an-earlier-start", name: "jwt-secret")
        #expect(throws: MissingSharedSettings(names: [variable])) {
            try SecretStore.loadOrCreateToken(environment: variable, file: "jwt-secret", directory: directory, inCluster: true)
        }
    }

    @Test func inAClusterTheVariableIsUsed() throws {
        defer { cleanUp() }
        setenv(variable, "shared-by-every-instance", 1)
        defer { unsetenv(variable) }
        let token = try SecretStore.loadOrCreateToken(
            environment: variable, file: "jwt-secret", directory: directory, inCluster: true)
        #expect(token == "shared-by-every-instance")
    }

    /// A private directory holding `text` as the secret file `name`, mode `mode`.
    func plant(_ text: String, name: String = "s", mode: mode_t = 0o600) throws {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        #expect(chmod(directory + "/" + name, mode) == 0)
    }

    @Test func existingFileIsReadTrimmed() throws {
        defer { cleanUp() }
        try plant("  operator-chosen-secret\n")
        #expect(try SecretStore.loadOrCreateToken(environment: variable, file: "s", directory: directory) == "operator-chosen-secret")
    }

    @Test func emptyFileIsAnErrorNotSilentlyReplaced() throws {
        defer { cleanUp() }
        try plant("\n")
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

    /// The refusal `load` gives, as the operator would read it.
    private func refusal() -> String? {
        do {
            _ = try SecretStore.loadOrCreateToken(environment: variable, file: "s", directory: directory)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o606, 0o700] as [mode_t])
    func aSecretFileOthersCanReachIsRefusedNamingTheFix(mode: mode_t) throws {
        defer { cleanUp() }
        try plant("operator-chosen-secret", mode: mode)
        let message = try #require(refusal(), "mode \(String(mode, radix: 8)) was accepted")
        #expect(message.contains(directory + "/s"))
        #expect(message.contains("0" + String(mode, radix: 8)))
        #expect(message.contains("chmod 600 \(directory)/s"))
    }

    @Test(arguments: [0o600, 0o400] as [mode_t])
    func aPrivateSecretFileIsAccepted(mode: mode_t) throws {
        defer { cleanUp() }
        try plant("operator-chosen-secret", mode: mode)
        #expect(refusal() == nil)
    }

    @Test(arguments: [0o755, 0o750, 0o705, 0o770, 0o777] as [mode_t])
    func aStateDirectoryOthersCanReachIsRefusedNamingTheFix(mode: mode_t) throws {
        defer { cleanUp() }
        try plant("operator-chosen-secret")
        #expect(chmod(directory, mode) == 0)
        let message = try #require(refusal(), "directory mode \(String(mode, radix: 8)) was accepted")
        #expect(message.contains(directory))
        #expect(message.contains("0" + String(mode, radix: 8)))
        #expect(message.contains("chmod 700 \(directory)"))
        // Refused before anything is created in it, too.
        #expect(throws: (any Error).self) {
            try SecretStore.loadOrCreateToken(environment: variable, file: "fresh", directory: directory)
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/fresh"))
    }

    /// As root the embedded cluster's `postgres` account must traverse the
    /// state directory to reach `pg/`: others-execute alone is allowed then.
    @Test func onlyRootMayLetOthersTraverseTheStateDirectory() throws {
        defer { cleanUp() }
        try plant("operator-chosen-secret")
        #expect(chmod(directory, 0o701) == 0)
        if geteuid() == 0 {
            #expect(refusal() == nil)
        } else {
            #expect(refusal()?.contains("chmod 700") == true)
        }
    }

    @Test(.enabled(if: getuid() == 0, "only root can give a file away"))
    func aSecretFileOwnedBySomeoneElseIsRefused() throws {
        defer { cleanUp() }
        try plant("operator-chosen-secret")
        #expect(chown(directory + "/s", 65534, 65534) == 0)
        let message = try #require(refusal(), "a file owned by uid 65534 was accepted")
        #expect(message.contains("uid 65534"))
        #expect(message.contains(directory + "/s"))
    }

    @Test(.enabled(if: getuid() == 0, "only root can give a directory away"))
    func aStateDirectoryOwnedBySomeoneElseIsRefused() throws {
        defer { cleanUp() }
        try plant("operator-chosen-secret")
        #expect(chown(directory, 65534, 65534) == 0)
        let message = try #require(refusal(), "a directory owned by uid 65534 was accepted")
        #expect(message.contains("uid 65534"))
    }

    @Test func aFIFOAtASecretPathIsRefusedWithoutBlocking() throws {
        defer { cleanUp() }
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        #expect(mkfifo(directory + "/s", 0o600) == 0)
        // A blocking open would wait here for a writer that never comes.
        let message = try #require(refusal())
        #expect(message.contains("not a regular file"))
    }

    /// `concurrentPerform` closures append from several threads; a lock makes that safe.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Result<String, any Error>] = []
        func add(_ value: Result<String, any Error>) { lock.withLock { values.append(value) } }
        var all: [Result<String, any Error>] { lock.withLock { values } }
    }
}
