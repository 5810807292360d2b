import Foundation
import Platform
import Testing

@testable import Flags

/// A watched flags.json with a rollout: `resolve`, the routed calls' hot
/// path, homes the cohort at the service, and raising the percentage on a
/// reload moves more tenants over and none back, logged as one line.
@Suite("FlagsStore: rollout")
struct RolloutStoreTests {
    @Test("resolve follows the rollout, and raising it adds tenants, logged as one line")
    func resolvesAndRaises() throws {
        let tenants = (0..<2_000).map { "tenant-\($0)" }
        let directory = try FlagsDirectory()
        let logPath = directory.file("log.jsonl")
        let descriptor = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let log = Log(fileDescriptor: descriptor)

        try directory.writeInPlace(paymentsFlags(tenants: ["tenant-0": "in-process"], rollout: #"{"service": 10}"#))
        let store = try FlagsStore(path: directory.flagsPath, log: log)
        func onService() -> Set<String> {
            Set(tenants.filter { store.resolve(module: "payments", tenant: $0).route == .service })
        }
        let ten = onService()
        for tenant in tenants {
            let resolved = store.resolve(module: "payments", tenant: tenant)
            let expected: ModuleRoute =
                tenant != "tenant-0" && ModuleRouting.cohortBucket(module: "payments", tenant: tenant) < 10
                ? .service : .inProcess
            #expect(resolved.route == expected, "\(tenant)")
            #expect(resolved.serviceURL == (expected == .service ? "http://127.0.0.1:4004" : nil), "\(tenant)")
        }
        #expect(!ten.isEmpty)

        try directory.writeAtomically(paymentsFlags(tenants: ["tenant-0": "in-process"], rollout: #"{"service": 20}"#))
        #expect(store.reloadNow())
        let twenty = onService()
        #expect(ten.isSubset(of: twenty))
        #expect(twenty.count > ten.count)
        #expect(!twenty.contains("tenant-0"))
        log.flush()

        let lines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.contains { $0.contains("flags loaded") && $0.contains("payments rollout: service 10% → service 20%") })
    }
}
