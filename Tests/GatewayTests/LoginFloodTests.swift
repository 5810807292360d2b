import Foundation
import Gateway
import Security
import Testing

/// Logins over HTTP against the limits: a username under brute force is
/// locked, an address is rate-limited, and a flood is turned away quickly
/// while other tenants keep being served.
@Suite struct LoginFloodTests {
    private func login(
        _ app: TestGateway, _ tenant: String, _ username: String, _ password: String,
        headers: [(name: String, value: String)] = []
    ) throws -> TestGateway.Reply {
        try app.call(
            "POST", "/api/v1/auth/login", tenant: tenant, json: ["username": username, "password": password],
            headers: headers)
    }

    private func retryAfter(_ reply: TestGateway.Reply) -> Int? { reply.header("retry-after").flatMap { Int($0) } }

    @Test func theSixthWrongPasswordLocksTheUsernameEvenForTheRightPassword() throws {
        let app = try TestGateway()
        let (tenant, _) = try app.tenantWithAdmin("brute")
        for attempt in 1...5 {
            let wrong = try login(app, tenant, "admin", "guess-\(attempt)")
            #expect(wrong.status == 401, "attempt \(attempt)")
            #expect(wrong.code == "invalid_credentials")
        }
        let sixth = try login(app, tenant, "admin", "guess-6")
        #expect(sixth.status == 429)
        #expect(sixth.code == "too_many_attempts")
        #expect(sixth.header("content-type") == "application/problem+json")
        let wait = try #require(retryAfter(sixth))
        #expect((1...300).contains(wait))

        // The right password, in another spelling of the name, is refused too until the window passes.
        let right = try login(app, tenant, "ADMIN", "admin-password-1")
        #expect(right.status == 429)
        #expect(right.code == "too_many_attempts")
        #expect(retryAfter(right) != nil)

        // Only that username is locked: the same name in another restaurant logs in.
        let (otherTenant, _) = try app.tenantWithAdmin("brute")
        #expect(try login(app, otherTenant, "admin", "admin-password-1").status == 200)
    }

    @Test func aSuccessfulLoginClearsEarlierFailures() throws {
        let app = try TestGateway()
        let (tenant, _) = try app.tenantWithAdmin("clear")
        for attempt in 1...4 { _ = try login(app, tenant, "admin", "typo-\(attempt)") }
        #expect(try login(app, tenant, "admin", "admin-password-1").status == 200)
        for attempt in 1...4 {
            #expect(try login(app, tenant, "admin", "typo-again-\(attempt)").status == 401)
        }
    }

    @Test func oneAddressGetsThirtyAttemptsAMinuteAndCannotForgeAnother() throws {
        let app = try TestGateway()
        let tenant = "addr-\(Hex.encode(SecureRandom.bytes(4)))"
        try app.createTenant(tenant)  // through the ops API: no login spent
        // Thirty different usernames: the per-username limit never applies.
        for attempt in 1...30 {
            #expect(try login(app, tenant, "nobody-\(attempt)", "password-x").status == 401, "attempt \(attempt)")
        }
        let over = try login(app, tenant, "nobody-31", "password-x")
        #expect(over.status == 429)
        #expect(over.code == "too_many_attempts")
        #expect((1...60).contains(retryAfter(over) ?? 0))
        // X-Forwarded-For from a peer that is not a trusted proxy changes nothing.
        let forged = try login(app, tenant, "admin", "admin-password-1", headers: [("x-forwarded-for", "198.51.100.9")])
        #expect(forged.status == 429)
    }

    @Test func behindATrustedProxyEachForwardedClientHasItsOwnBudget() throws {
        let app = try TestGateway(logins: LoginThrottle.Configuration(maxAttemptsPerAddress: 3, trustedProxies: ["127.0.0.1"]))
        let (tenant, _) = try app.tenantWithAdmin("proxy")
        let first = [("x-forwarded-for", "203.0.113.7")]
        for attempt in 1...3 {
            #expect(try login(app, tenant, "user-\(attempt)", "password-x", headers: first).status == 401)
        }
        let over = try login(app, tenant, "user-4", "password-x", headers: first)
        #expect(over.status == 429)
        #expect(over.code == "too_many_attempts")
        #expect(retryAfter(over) != nil)
        // Another client behind the same proxy (its own hop appended after the client's) is unaffected.
        let other = [("x-forwarded-for", "203.0.113.8, 127.0.0.1")]
        #expect(try login(app, tenant, "admin", "admin-password-1", headers: other).status == 200)
    }

    @Test func aFloodOfLoginsIsTurnedAwayFastWhileAnotherTenantIsServed() throws {
        // Real scrypt cost and two password checks at once, as on a two-core node;
        // the address limit out of the way, so the flood meets the concurrency cap.
        let app = try TestGateway(
            logins: LoginThrottle.Configuration(
                maxConcurrentChecks: 2, maxWait: 0.1, maxAttemptsPerAddress: 1_000_000),
            passwordHasher: PasswordHasher())
        let (victim, _) = try app.tenantWithAdmin("flood")
        let (bystander, bystanderToken) = try app.tenantWithAdmin("calm")

        struct Outcome { var status: Int; var code: String?; var retryAfter: String?; var seconds: Double }
        let outcomes = Locked<[Outcome]>([])
        let served = Locked<[Outcome]>([])
        let flooding = DispatchGroup()
        let floodOver = Locked(false)
        for thread in 0..<16 {
            flooding.enter()
            Thread {
                defer { flooding.leave() }
                for attempt in stride(from: thread, to: 200, by: 16) {
                    let started = Date()
                    let reply = try? login(app, victim, "guess-\(attempt)-\(UUID().uuidString.prefix(8))", "password-x")
                    outcomes.mutate {
                        $0.append(
                            Outcome(
                                status: reply?.status ?? 0, code: reply?.code, retryAfter: reply?.header("retry-after"),
                                seconds: Date().timeIntervalSince(started)))
                    }
                }
            }.start()
        }
        // Meanwhile another restaurant's manager keeps working (a worker-thread route with a database read).
        let bystanderDone = DispatchGroup()
        bystanderDone.enter()
        Thread {
            defer { bystanderDone.leave() }
            repeat {
                let started = Date()
                let reply = try? app.call("GET", "/api/v1/auth/users", tenant: bystander, token: bystanderToken)
                served.mutate {
                    $0.append(
                        Outcome(status: reply?.status ?? 0, code: reply?.code, retryAfter: nil, seconds: Date().timeIntervalSince(started)))
                }
            } while !floodOver.value
        }.start()
        flooding.wait()
        floodOver.mutate { $0 = true }
        bystanderDone.wait()

        let flood = outcomes.value
        #expect(flood.count == 200)
        let busy = flood.filter { $0.code == "too_many_logins" }
        #expect(!busy.isEmpty, "a flood of 200 against 2 slots must meet the cap")
        #expect(busy.allSatisfy { $0.status == 429 && $0.retryAfter == "1" })
        #expect(flood.filter { $0.status == 401 }.count > 0, "some logins were checked")
        #expect(
            flood.allSatisfy { $0.status == 401 || $0.code == "too_many_logins" },
            "only checked or turned away: \(Set(flood.map { "\($0.status) \($0.code ?? "")" }))")
        // Turned away without queueing behind the flood (loose: the machine is shared).
        let slowestRefusal = busy.map(\.seconds).max() ?? 0
        #expect(slowestRefusal < 3, "slowest too_many_logins took \(slowestRefusal) s")

        let bystanderCalls = served.value
        #expect(!bystanderCalls.isEmpty)
        #expect(bystanderCalls.allSatisfy { $0.status == 200 }, "\(bystanderCalls.map(\.status))")
        let slowestServed = bystanderCalls.map(\.seconds).max() ?? 0
        #expect(slowestServed < 3, "the other tenant waited \(slowestServed) s")
    }
}

/// A value shared by test threads.
private final class Locked<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func mutate(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
