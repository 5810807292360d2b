import Dispatch
import Foundation
import HTTPServer
import Testing

@testable import Gateway

/// The login limits' parts, without HTTP: attempt windows and their memory
/// bound, the password-check slots, and where a client's address comes from.
@Suite struct LoginLimitTests {
    @Test func aKeyIsRefusedAtItsLimitUntilItsWindowEnds() {
        let counter = AttemptCounter(limit: 3, window: 60, capacity: 100)
        for _ in 1...3 { #expect(counter.admit("k", now: 1000) == nil) }
        #expect(counter.admit("k", now: 1010) == 50)
        #expect(counter.admit("other", now: 1010) == nil)
        // Refusals are not counted: the window is not pushed out by hammering.
        #expect(counter.admit("k", now: 1059) == 1)
        #expect(counter.admit("k", now: 1060) == nil)
    }

    @Test func forgivenAndResetAttemptsNoLongerCount() {
        let counter = AttemptCounter(limit: 2, window: 60, capacity: 100)
        #expect(counter.admit("k", now: 0) == nil)
        #expect(counter.admit("k", now: 0) == nil)
        counter.forgive("k")
        #expect(counter.admit("k", now: 0) == nil)
        #expect(counter.admit("k", now: 0) != nil)
        counter.reset("k")
        #expect(counter.admit("k", now: 0) == nil)
    }

    @Test func aFloodOfNewKeysStaysWithinCapacityAndKeepsTheLocks() {
        let counter = AttemptCounter(limit: 5, window: 300, capacity: 1000)
        for _ in 1...5 { _ = counter.admit("tenant\u{0}admin", now: 0) }
        for _ in 1...4 { _ = counter.admit("tenant\u{0}owner", now: 0) }
        var mostTracked = 0
        for index in 0..<50_000 {
            _ = counter.admit("tenant\u{0}random-\(index)", now: Double(index) / 1000)
            mostTracked = max(mostTracked, counter.trackedKeys)
        }
        #expect(mostTracked <= 1000)
        #expect(counter.admit("tenant\u{0}admin", now: 60) != nil, "the locked username stays locked")
        #expect(counter.admit("tenant\u{0}owner", now: 60) == nil, "the fifth attempt is allowed")
        #expect(counter.admit("tenant\u{0}owner", now: 60) != nil, "the near-lock survived the flood")
    }

    @Test func whenEveryKeyIsLockedTheOldestMakeRoom() {
        let counter = AttemptCounter(limit: 1, window: 300, capacity: 100)
        for index in 0..<1000 { _ = counter.admit("k\(index)", now: Double(index) / 10) }
        #expect(counter.trackedKeys <= 100)
        #expect(counter.admit("k999", now: 100) != nil, "the newest lock is kept")
    }

    @Test func slotsTurnAwayWhatCannotBeServedSoon() {
        let slots = PasswordCheckSlots(limit: 1, maxWait: 0.05)
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        Thread {
            _ = slots.withSlot {
                holding.signal()
                release.wait()
            }
        }.start()
        holding.wait()
        let started = Date()
        #expect(slots.withSlot { 1 } == nil)
        let waited = Date().timeIntervalSince(started)
        #expect(waited >= 0.04, "it waited its short while first")
        release.signal()
        // The slot comes back once its holder is done.
        var ran: Int?
        let deadline = Date(timeIntervalSinceNow: 5)
        while ran == nil, Date() < deadline { ran = slots.withSlot { 2 } }
        #expect(ran == 2)
    }

    @Test(arguments: [
        ("127.0.0.1:5000", "127.0.0.1"), ("[::1]:5000", "::1"), ("[2001:db8::7]:443", "2001:db8::7"),
    ])
    func thePeersHostIsItsAddressWithoutThePort(_ peer: String, _ host: String) {
        #expect(ClientAddress.host(ofPeer: peer) == host)
    }

    @Test func forwardedForIsBelievedOnlyFromATrustedProxy() {
        func request(from peer: String, forwardedFor: String?) -> HTTPRequest {
            var headers = HTTPHeaders()
            if let forwardedFor { headers.add("x-forwarded-for", forwardedFor) }
            return HTTPRequest(method: "POST", target: "/", path: "/", headers: headers, remoteAddress: peer)
        }
        let proxied = ClientAddress(trustedProxies: ["10.0.0.2", "10.0.0.3"])
        #expect(proxied.of(request(from: "10.0.0.2:1234", forwardedFor: "198.51.100.4")) == "198.51.100.4")
        // The nearest hop that is not one of ours: what the client wrote to the left is not believed.
        #expect(
            proxied.of(request(from: "10.0.0.2:1234", forwardedFor: "1.2.3.4, 198.51.100.4, 10.0.0.3")) == "198.51.100.4")
        #expect(proxied.of(request(from: "10.0.0.2:1234", forwardedFor: "not an address")) == "10.0.0.2")
        #expect(proxied.of(request(from: "10.0.0.2:1234", forwardedFor: nil)) == "10.0.0.2")
        #expect(proxied.of(request(from: "198.51.100.9:1234", forwardedFor: "1.2.3.4")) == "198.51.100.9")
    }
}
