import Foundation
import Synchronization
import Testing

@testable import Flags

/// Readers on the lock-free path while the file flips under them: no crash,
/// no torn snapshot, never an older snapshot after a newer one.
@Suite("FlagsStore under concurrent readers")
struct FlagsStoreConcurrencyTests {
    static let tenants = (1...16).map { "tenant-\($0)" }
    static let flips = 50

    /// Generation `g`: every route in the file is the same (in-process for
    /// even `g`, service for odd), and the URL's port says which `g` it is,
    /// so any single read can check that its snapshot is all of one file.
    static func generation(_ g: Int) -> String {
        let route = g.isMultiple(of: 2) ? "in-process" : "service"
        let tenantMembers = tenants.map { "\"\($0)\": \"\(route)\"" }.joined(separator: ", ")
        return """
            {
              "services": { "payments": "http://127.0.0.1:\(5000 + g)", "inventory": "http://127.0.0.1:\(5000 + g)" },
              "modules": {
                "payments": { "default": "\(route)", "tenants": { \(tenantMembers) } },
                "inventory": { "default": "\(route)", "tenants": { \(tenantMembers) } }
              }
            }
            """
    }

    /// Nil when `snapshot` is whole; otherwise what is wrong with it.
    static func inconsistency(_ snapshot: FlagsSnapshot) -> String? {
        guard let url = snapshot.services["payments"], snapshot.services["inventory"] == url,
            let port = Int(url.split(separator: ":").last ?? "")
        else { return "services: \(snapshot.services)" }
        let expected: ModuleRoute = (port - 5000).isMultiple(of: 2) ? .inProcess : .service
        for module in ["payments", "inventory"] {
            guard let routing = snapshot.modules[module], routing.defaultRoute == expected,
                routing.tenants.count == tenants.count
            else { return "\(module) of generation \(port - 5000): \(String(describing: snapshot.modules[module]))" }
            for tenant in tenants where snapshot.route(module: module, tenant: tenant) != expected {
                return "\(module)[\(tenant)] of generation \(port - 5000)"
            }
        }
        return nil
    }

    /// Counters the reader threads share.
    final class Tally: Sendable {
        let stopping = Atomic<Bool>(false)
        let reads = Atomic<Int>(0)
        let torn = Atomic<Int>(0)
        let backwards = Atomic<Int>(0)
        let versionsSeen = Atomic<Int>(0)
        let finished = DispatchGroup()
        let firstProblem = Mutex<String?>(nil)

        func record(_ problem: String) {
            firstProblem.withLock { $0 = $0 ?? problem }
        }
    }

    @Test("several threads read current in a tight loop while the file flips 50 times")
    func readersNeverSeeATornSnapshot() throws {
        let directory = try FlagsDirectory()
        try directory.writeAtomically(Self.generation(0))
        let store = try FlagsStore(path: directory.flagsPath, pollInterval: 0.005, log: .discard)
        store.start()
        defer { store.stop() }

        let tally = Tally()
        let readers = 3
        for index in 0..<readers {
            tally.finished.enter()
            let thread = Thread {
                var lastVersion = 0
                var distinct = 0
                var reads = 0
                while !tally.stopping.load(ordering: .relaxed) {
                    let snapshot = store.current
                    reads += 1
                    if let problem = Self.inconsistency(snapshot) {
                        tally.torn.add(1, ordering: .relaxed)
                        tally.record(problem)
                    }
                    if snapshot.version < lastVersion {
                        tally.backwards.add(1, ordering: .relaxed)
                        tally.record("version \(snapshot.version) after \(lastVersion)")
                    } else if snapshot.version > lastVersion {
                        distinct += 1
                        lastVersion = snapshot.version
                    }
                }
                tally.reads.add(reads, ordering: .relaxed)
                tally.versionsSeen.add(distinct, ordering: .relaxed)
                tally.finished.leave()
            }
            thread.name = "flags-reader-\(index)"
            thread.start()
        }

        // Flip by atomic rename and in place by turns; wait for each to land
        // (the poller and this thread's reloadNow race on purpose).
        for g in 1...Self.flips {
            if g.isMultiple(of: 2) {
                try directory.writeAtomically(Self.generation(g))
            } else {
                try directory.writeInPlace(Self.generation(g))
            }
            if g.isMultiple(of: 5) { store.reloadNow() }
            let landed = eventually(within: 5) { store.current.services["payments"] == "http://127.0.0.1:\(5000 + g)" }
            #expect(landed, "generation \(g) never loaded")
            if !landed { break }
        }
        tally.stopping.store(true, ordering: .relaxed)
        tally.finished.wait()

        #expect(tally.torn.load(ordering: .relaxed) == 0, "\(tally.firstProblem.withLock { $0 } ?? "")")
        #expect(tally.backwards.load(ordering: .relaxed) == 0, "\(tally.firstProblem.withLock { $0 } ?? "")")
        #expect(tally.reads.load(ordering: .relaxed) > readers * Self.flips)
        // Each reader saw many of the versions go by, so reads did overlap reloads.
        #expect(tally.versionsSeen.load(ordering: .relaxed) > readers * 2)
        #expect(store.current.version == Self.flips + 1)
        #expect(Self.inconsistency(store.current) == nil)
    }
}
