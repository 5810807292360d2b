import Testing

@testable import Flags

/// The cohort a rollout homes: which tenants are in it, that it only grows as
/// the percentage rises, that it is about the size asked for, and that a
/// tenant's bucket is the same in every process and every release.
@Suite("Rollout cohorts")
struct CohortBucketTests {
    /// Ten thousand ids of the shape operators use, generated so the test is deterministic.
    static let tenants = (0..<10_000).map { "tenant-\($0)" }

    private func routing(_ percent: Int, to route: ModuleRoute = .service, tenants: [String: ModuleRoute] = [:])
        -> ModuleRouting
    {
        ModuleRouting(
            defaultRoute: route == .service ? .inProcess : .service, tenants: tenants,
            rollout: .init(route: route, percent: percent))
    }

    private func cohort(_ percent: Int, module: String = "payments") -> Set<String> {
        let routing = routing(percent)
        return Set(Self.tenants.filter { routing.route(module: module, tenant: $0) == .service })
    }

    /// Computed independently (64-bit FNV-1a of "<module>/<tenant>", mod 100)
    /// and written down: if any of these moves, every running rollout would
    /// reshuffle its tenants on upgrade.
    @Test(
        "buckets are pinned: the hash can never change silently",
        arguments: [
            ("payments", "demo-cafe", 26), ("payments", "demo-bistro", 42), ("payments", "demo-diner", 33),
            ("inventory", "demo-cafe", 79), ("auth", "demo-cafe", 55), ("orders", "tenant-0001", 87),
            ("payments", "a1", 33), ("payments", "x9", 76), ("chatbot", "pizzeria-napoli", 25), ("restaurant", "zz", 39),
        ])
    func pinnedBuckets(module: String, tenant: String, bucket: Int) {
        #expect(ModuleRouting.cohortBucket(module: module, tenant: tenant) == bucket)
    }

    @Test("a tenant is in an N% cohort exactly when its bucket is below N")
    func bucketDecides() {
        for tenant in Self.tenants.prefix(500) {
            let bucket = ModuleRouting.cohortBucket(module: "payments", tenant: tenant)
            #expect((0..<100).contains(bucket))
            for percent in [bucket, bucket + 1] where percent <= 100 {
                #expect(
                    routing(percent).route(module: "payments", tenant: tenant) == (bucket < percent ? .service : .inProcess),
                    "\(tenant) bucket \(bucket) at \(percent)%")
            }
        }
    }

    @Test("raising the percentage only adds tenants: every step's cohort holds the one before")
    func monotonic() {
        var previous = cohort(0)
        for percent in [1, 5, 10, 20, 33, 50, 75, 99, 100] {
            let current = cohort(percent)
            #expect(previous.isSubset(of: current), "\(previous.subtracting(current).sorted().prefix(5)) left at \(percent)%")
            #expect(current.count > previous.count, "nobody added at \(percent)%")
            previous = current
        }
        #expect(cohort(10).isSubset(of: cohort(20)))
    }

    @Test("an N% cohort is about N% of tenants", arguments: [10, 20, 50])
    func distribution(percent: Int) {
        // Binomial spread over 10,000 ids is under 0.5 points; 1.5 points is
        // loose enough never to flake and tight enough to catch a skewed hash.
        let share = Double(cohort(percent).count) / Double(Self.tenants.count) * 100
        #expect(abs(share - Double(percent)) < 1.5, "\(share)% in a \(percent)% rollout")
    }

    @Test("0% homes nobody, 100% everyone, either way round")
    func ends() {
        for route in ModuleRoute.allCases {
            let none = routing(0, to: route)
            let all = routing(100, to: route)
            #expect(Self.tenants.allSatisfy { none.route(module: "payments", tenant: $0) == none.defaultRoute })
            #expect(Self.tenants.allSatisfy { all.route(module: "payments", tenant: $0) == route })
        }
    }

    @Test("each module has its own cohort: payments' 10% is not inventory's")
    func perModule() {
        let payments = cohort(10, module: "payments")
        let inventory = cohort(10, module: "inventory")
        // Independent 10% cohorts share about 1% of tenants; the same cohort would share 10%.
        #expect(payments.intersection(inventory).count < Self.tenants.count * 3 / 100)
    }

    @Test("precedence: a tenants entry, else the rollout, else the default")
    func precedence() throws {
        let inCohort = try #require(Self.tenants.first { ModuleRouting.cohortBucket(module: "payments", tenant: $0) < 10 })
        let outside = try #require(Self.tenants.first { ModuleRouting.cohortBucket(module: "payments", tenant: $0) >= 10 })
        let plain = routing(10)
        #expect(plain.route(module: "payments", tenant: inCohort) == .service)
        #expect(plain.route(module: "payments", tenant: outside) == .inProcess)
        // An entry pins a tenant either way, whatever its bucket.
        let pinned = routing(10, tenants: [inCohort: .inProcess, outside: .service])
        #expect(pinned.route(module: "payments", tenant: inCohort) == .inProcess)
        #expect(pinned.route(module: "payments", tenant: outside) == .service)
        // And through a parsed snapshot, as every routed call resolves it.
        let snapshot = try FlagsParser.parse(
            Array(paymentsFlags(tenants: [inCohort: "in-process"], rollout: #"{"service": 100}"#).utf8), source: "x")
        #expect(snapshot.route(module: "payments", tenant: inCohort) == .inProcess)
        #expect(snapshot.route(module: "payments", tenant: outside) == .service)
        #expect(snapshot.route(module: "inventory", tenant: outside) == .inProcess)
    }
}
