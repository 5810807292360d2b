import Contract
import Facade
import Flags
import Foundation
import Routing
import Synchronization

/// When the gateway asks its services whether they still honour its
/// contract (`ServiceGate`): within a second of each flags.json reload, and
/// every `interval` seconds between reloads (a service redeployed under the
/// same URL is noticed then).
final class ServiceGateChecks: Sendable {
    /// Seconds between checks when flags.json does not change.
    static let defaultInterval = 30.0

    let gate: ServiceGate
    private let work: PeriodicWork

    init(gate: ServiceGate, flags: FlagsStore, interval: Double = ServiceGateChecks.defaultInterval) {
        self.gate = gate
        // The flags load and the time of the last check; only this thread touches it.
        let last = Mutex<(version: Int, at: Date)?>(nil)
        work = PeriodicWork(name: "service-gate", interval: 1) {
            let snapshot = flags.current
            let due = last.withLock { last in
                guard let previous = last, previous.version == snapshot.version,
                    Date().timeIntervalSince(previous.at) < interval
                else { return true }
                return false
            }
            guard due else { return }
            gate.check(snapshot)
            last.withLock { $0 = (snapshot.version, Date()) }
        }
    }

    /// Checks once now (before the gateway serves), then keeps checking.
    func start(_ flags: FlagsStore) {
        gate.check(flags.current)
        work.start()
    }

    func stop() {
        work.stop()
    }

    /// How a gateway asks a service for its contract: `GET /contract`, briefly.
    static func describe(_ url: String) throws -> ContractDescription {
        try ContractDescription.fetch(from: url, timeout: 2)
    }
}
