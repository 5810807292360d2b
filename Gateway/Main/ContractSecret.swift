import Foundation
import Platform
import Security

/// The service secret `banyan contract` signs its calls with, found where
/// the service under test has it — never created: a new secret could only
/// be refused by the service, and one written into whatever directory the
/// command ran in would hide the real mistake. In order:
///
/// 1. `--secret-file PATH`, when given: that file only.
/// 2. `BANYAN_SERVICE_SECRET` (or its `.env` entry), as every service reads it.
/// 3. `service-secret` in the state directory a service would use: `BANYAN_HOME`
///    when it is set, else the `.banyan/` of the checkout this `banyan` was
///    built in (found from the executable's path, `<checkout>/.build/…/banyan`;
///    where `./scripts/up` runs the services), else `./.banyan/` in the
///    working directory (a service started from here).
///
/// A secret shorter than `JWTSigner.minimumSecretLength` bytes is refused:
/// as a usage error when the variable gives it (exit 2, the invocation is
/// wrong), as a failure when a file holds it (exit 1, the file is).
struct ContractSecret {
    let bytes: [UInt8]
    /// Where it came from, for the line that says so and for the hint after a refusal.
    let source: String

    enum Problem: Error, Equatable {
        /// The invocation is wrong: exit 2.
        case usage(String)
        /// Nothing usable where it looked: exit 1.
        case failure(String)
    }

    static func find(secretFile: String?) -> Result<ContractSecret, Problem> {
        let minimum = JWTSigner.minimumSecretLength
        if let secretFile {
            let bytes: [UInt8]?
            do {
                bytes = try SecretStore.load(file: secretFile)
            } catch {
                return .failure(.failure("cannot use --secret-file: \(error)"))
            }
            guard let bytes else { return .failure(.failure("--secret-file \(secretFile): no such file")) }
            guard bytes.count >= minimum else {
                return .failure(.failure("the secret in \(secretFile) is \(bytes.count) bytes long; it must have at least \(minimum)"))
            }
            return .success(ContractSecret(bytes: bytes, source: secretFile))
        }
        if let value = Configuration.value(ServiceSecret.environment), !value.isEmpty {
            guard value.utf8.count >= minimum else {
                return .failure(.usage("\(ServiceSecret.environment) must be at least \(minimum) bytes long"))
            }
            return .success(ContractSecret(bytes: Array(value.utf8), source: ServiceSecret.environment))
        }
        let directories = stateDirectories()
        for directory in directories {
            let path = directory + "/" + ServiceSecret.fileName
            let bytes: [UInt8]?
            do {
                bytes = try SecretStore.existing(ServiceSecret.fileName, in: directory)
            } catch {
                return .failure(.failure("cannot use \(path): \(error)"))
            }
            guard let bytes else { continue }
            guard bytes.count >= minimum else {
                return .failure(.failure("the secret in \(path) is \(bytes.count) bytes long; it must have at least \(minimum)"))
            }
            return .success(ContractSecret(bytes: bytes, source: path))
        }
        return .failure(
            .failure(
                "no service secret: \(ServiceSecret.environment) is not set and there is no "
                    + directories.map { $0 + "/" + ServiceSecret.fileName }.joined(separator: " nor ")
                    + "; give the one the service uses with --secret-file PATH or \(ServiceSecret.environment) "
                    + "(banyan contract never creates one: the service would refuse it)"))
    }

    /// Where a service would keep its state: `BANYAN_HOME` alone when set,
    /// else the checkout's `.banyan` and the working directory's, once each.
    static func stateDirectories() -> [String] {
        if let home = Configuration.value("BANYAN_HOME"), !home.isEmpty { return [home] }
        let here = FileManager.default.currentDirectoryPath + "/.banyan"
        guard let checkout = checkoutOfExecutable() else { return [here] }
        let there = checkout + "/.banyan"
        return there == here ? [there] : [there, here]
    }

    /// The checkout this executable was built in: the directory above its
    /// `.build/`, when that directory holds a Package.swift; nil for a
    /// `banyan` installed elsewhere.
    static func checkoutOfExecutable() -> String? {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return nil
        }
        let components = executable.split(separator: "/", omittingEmptySubsequences: false)
        guard let build = components.lastIndex(of: ".build"), build > 0 else { return nil }
        let checkout = components[..<build].joined(separator: "/")
        guard !checkout.isEmpty, FileManager.default.fileExists(atPath: checkout + "/Package.swift") else { return nil }
        return checkout
    }
}
