import Facade
import Flags
import Foundation
import Platform
import Synchronization

/// The monolith's contract compatibility gate: which extracted services
/// still serve what it calls of their modules. For each module flags.json
/// names a service for, it asks the service's `GET /contract` and compares
/// the answer with the module's declared interface (`ContractCompatibility`,
/// structural: additive changes pass, breaking ones do not).
///
/// A tenant homed in a service found incompatible keeps its last compatible
/// home, the monolith (which always honours its own contract, and reaches
/// the same data): `RoutedTransport` runs such calls in-process until a
/// check finds the service compatible again. A service that cannot be asked
/// (down, or not answering a contract) is not gated on that alone: that is
/// an outage, which its callers see as `module_unavailable`, not a verdict.
///
/// The gateway checks at each flags.json reload and every 30 s; the checks
/// run on their own thread, never on a request's.
public final class ServiceGate: Sendable {
    /// What the latest check of a module's service found.
    public struct Verdict: Sendable, Equatable {
        /// The service URL checked (flags.json's at the time).
        public let url: String
        public let checkedAt: Date
        /// nil when the service could not be asked (see `error`).
        public let compatible: Bool?
        /// The breaking findings, rendered; empty when compatible.
        public let breaking: [String]
        /// Why the service could not be asked, when it could not.
        public let error: String?

        /// Whether calls for this module's service at `url` stay in-process.
        func blocks(_ url: String) -> Bool { self.url == url && compatible == false }
    }

    private let expected: [String: ContractDescription]
    private let describe: @Sendable (String) throws -> ContractDescription
    private let verdicts = Mutex<[String: Verdict]>([:])
    private let log: Log

    /// - Parameters:
    ///   - interfaces: the modules this process calls, as their APIs declare them.
    ///   - describe: asks a service URL for its contract (`GET /contract`).
    public init(
        interfaces: [ModuleInterface], describe: @escaping @Sendable (String) throws -> ContractDescription,
        log: Log = .shared
    ) {
        expected = Dictionary(
            uniqueKeysWithValues: interfaces.map { ($0.name, ContractDescription(module: $0.name, operations: $0.operations)) })
        self.describe = describe
        self.log = log
    }

    /// Checks the service of every module `snapshot` names one for, and
    /// forgets the verdicts of modules it no longer names. Blocking: one
    /// `GET /contract` per service.
    public func check(_ snapshot: FlagsSnapshot) {
        var found: [String: Verdict] = [:]
        for (module, url) in snapshot.services.sorted(by: { $0.key < $1.key }) {
            let checkedAt = Date()
            do {
                guard let breaking = try breaking(module: module, url: url) else { continue }
                found[module] = Verdict(
                    url: url, checkedAt: checkedAt, compatible: breaking.isEmpty, breaking: breaking, error: nil)
            } catch {
                found[module] = Verdict(
                    url: url, checkedAt: checkedAt, compatible: nil, breaking: [], error: "\(error)")
            }
        }
        let previous = verdicts.withLock { verdicts in
            defer { verdicts = found }
            return verdicts
        }
        for (module, verdict) in found.sorted(by: { $0.key < $1.key })
        where verdict.compatible != previous[module]?.compatible || verdict.url != previous[module]?.url {
            switch verdict.compatible {
            case false?:
                log.warning(
                    "service incompatible; its tenants stay in-process",
                    ["module": .string(module), "url": .string(verdict.url),
                     "breaking": .string(verdict.breaking.joined(separator: "; "))])
            case true?:
                if previous[module]?.compatible == false {
                    log.info("service compatible again", ["module": .string(module), "url": .string(verdict.url)])
                }
            case nil:
                break
            }
        }
    }

    /// Asks the service at `url` now: the breaking findings of its contract
    /// against what this process calls of `module` (empty: compatible); nil
    /// for a module this process does not call. Throws when the service
    /// cannot be asked. Blocking: one `GET /contract`.
    public func breaking(module: String, url: String) throws -> [String]? {
        guard let expected = expected[module] else { return nil }
        return ContractCompatibility.check(expected: expected, served: try describe(url)).breaking.map(\.description)
    }

    /// True when calls for `module` to its service at `url` must stay in-process.
    public func blocks(module: String, url: String) -> Bool {
        verdicts.withLock { $0[module]?.blocks(url) ?? false }
    }

    /// The latest verdict per module, for `GET /admin/flags` and `/ready`.
    public var current: [String: Verdict] {
        verdicts.withLock { $0 }
    }
}
