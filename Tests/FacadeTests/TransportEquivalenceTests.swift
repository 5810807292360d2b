// The same cases through LocalTransport and through HTTPTransport → ServiceHost:
// the two paths must be indistinguishable to a caller.
import Facade
import Foundation
import Platform
import Synchronization
import Testing

@Suite("Both facade paths give the same results")
final class TransportEquivalenceTests {
    /// Each test's own host on its own port: Swift Testing makes a suite instance per test.
    let service: EchoService

    init() throws { service = try EchoService() }
    deinit { service.shutdown() }

    @Test(arguments: FacadePath.allCases)
    func success(path: FacadePath) throws {
        let reply = try service.transport(path).call(
            EchoOperations.say, Fixtures.context(), SayRequest(text: "ho", times: 3))
        #expect(reply == SayReply(text: "hohoho", at: EchoModule.sampleTime))
    }

    @Test(arguments: FacadePath.allCases, EchoError.all)
    func typedErrorComesBackAsItself(path: FacadePath, error: EchoError) throws {
        let thrown = #expect(throws: EchoError.self) {
            try service.transport(path).call(EchoOperations.fail, Fixtures.context(), FailRequest(code: error.kind.rawValue))
        }
        #expect(thrown == error)
    }

    @Test(arguments: FacadePath.allCases)
    func handlerValidationErrors(path: FacadePath) throws {
        let transport = service.transport(path)
        #expect(throws: EchoError(kind: .silence)) {
            try transport.call(EchoOperations.say, Fixtures.context(), SayRequest(text: ""))
        }
        #expect(throws: EchoError(kind: .tooLoud)) {
            try transport.call(EchoOperations.say, Fixtures.context(), SayRequest(text: String(repeating: "a", count: 21)))
        }
    }

    @Test(arguments: FacadePath.allCases)
    func accessDeniedComesBackAsAccessDenied(path: FacadePath) throws {
        #expect(throws: AccessDenied(needed: .admin)) {
            try service.transport(path).call(EchoOperations.fail, Fixtures.context(role: .cashier), FailRequest(code: "access"))
        }
        // And with no role at all.
        #expect(throws: AccessDenied(needed: .admin)) {
            try service.transport(path).call(
                EchoOperations.fail, Fixtures.context(role: nil, userID: nil), FailRequest(code: "access"))
        }
        // An admin passes the same check on both paths.
        _ = try service.transport(path).call(EchoOperations.fail, Fixtures.context(role: .admin), FailRequest(code: "access"))
    }

    @Test(arguments: FacadePath.allCases)
    func callContextArrivesIntact(path: FacadePath) throws {
        let context = Fixtures.context(role: .cashier, deadline: Fixtures.deadline(in: 30))
        let seen = try service.transport(path).call(EchoOperations.context, context, Empty())
        #expect(seen == ContextReply(context))
        #expect(seen.deadlineMilliseconds != nil && seen.traceparent != nil && seen.idempotencyKey != nil)
    }

    @Test(arguments: FacadePath.allCases)
    func sparseContextStaysSparse(path: FacadePath) throws {
        let context = CallContext(tenant: Fixtures.tenant, requestID: "req-sparse")
        let seen = try service.transport(path).call(EchoOperations.context, context, Empty())
        #expect(seen == ContextReply(context))
        #expect(seen.userID == nil && seen.role == nil && seen.traceparent == nil && seen.deadlineMilliseconds == nil)
    }

    @Test(arguments: FacadePath.allCases)
    func systemContextKeepsItsUser(path: FacadePath) throws {
        let context = CallContext.system(tenant: Fixtures.tenant, component: "saga-recovery", requestID: "req-sys")
        let seen = try service.transport(path).call(EchoOperations.context, context, Empty())
        #expect(seen == ContextReply(context))
    }

    @Test(arguments: FacadePath.allCases)
    func optionalAndArrayResponses(path: FacadePath) throws {
        let transport = service.transport(path)
        #expect(try transport.call(EchoOperations.find, Fixtures.context(), FindRequest(key: "b")) == EchoModule.items[1])
        #expect(try transport.call(EchoOperations.find, Fixtures.context(), FindRequest(key: "zz")) == nil)
        #expect(try transport.call(EchoOperations.list, Fixtures.context(), Empty()) == EchoModule.items)
        #expect(try transport.call(EchoOperations.add, Fixtures.context(), 41) == 42)
    }

    @Test(arguments: FacadePath.allCases)
    func passedDeadlineIsRefusedBeforeTheHandler(path: FacadePath) throws {
        let context = Fixtures.context(deadline: Date().addingTimeInterval(-1))
        #expect(throws: DeadlineExceeded()) {
            try service.transport(path).call(EchoOperations.say, context, SayRequest(text: "late"))
        }
    }

    @Test(arguments: FacadePath.allCases)
    func unboundOperationIsUnknown(path: FacadePath) throws {
        let thrown = #expect(throws: Problem.self) {
            try service.transport(path).call(EchoOperations.unbound, Fixtures.context(), Empty())
        }
        #expect(thrown == Problem.notFound("unknown_operation", ""))
    }

    @Test func concurrentCallsOverHTTPKeepTheirOwnContext() throws {
        let transport = service.transport(.http)
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 64) { index in
            let context = CallContext(tenant: Fixtures.tenant, userID: "user-\(index)", requestID: "req-\(index)")
            let seen = try? transport.call(EchoOperations.context, context, Empty())
            if seen != ContextReply(context) { mismatches.withLock { $0 += 1 } }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}
