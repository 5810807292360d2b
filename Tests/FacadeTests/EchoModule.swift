// A tiny module for the facade's tests: typed errors with a problem decoder,
// optional and array responses, a role check, a slow handler, a crash.
import Facade
import Foundation
import Platform

/// Echo's typed errors, shaped like a real module's (`PaymentsError`).
struct EchoError: Error, Sendable, Equatable, ProblemConvertible, CustomStringConvertible {
    enum Kind: String, Sendable, CaseIterable {
        case silence = "echo_silence"
        case tooLoud = "too_loud"
        case busy = "echo_busy"
    }

    let kind: Kind

    static let all = Kind.allCases.map(EchoError.init(kind:))

    var problem: Problem {
        switch kind {
        case .silence: .notFound(kind.rawValue, "Nothing to echo.")
        case .tooLoud: Problem(status: 422, code: kind.rawValue, detail: "Too loud.", extensions: ["limit": .int(20)])
        case .busy: .conflict(kind.rawValue, "The echo is busy.")
        }
    }

    init(kind: Kind) { self.kind = kind }

    init?(problem: Problem) {
        guard let kind = Kind(rawValue: problem.code) else { return nil }
        self.kind = kind
    }

    var description: String { "EchoError.\(kind)" }
}

/// Not `ProblemConvertible`: the host must answer it with a generic 500.
struct EchoCrash: Error {}

struct SayRequest: Codable, Sendable, Equatable {
    var text: String
    var times: Int?
}

struct SayReply: Codable, Sendable, Equatable {
    var text: String
    var at: Date?
}

struct FailRequest: Codable, Sendable, Equatable {
    /// An `EchoError.Kind` raw value, `access`, or `crash`.
    var code: String
}

struct Item: Codable, Sendable, Equatable {
    var key: String
    var count: Int
}

struct FindRequest: Codable, Sendable, Equatable {
    var key: String
}

struct SlowRequest: Codable, Sendable, Equatable {
    var milliseconds: Int
}

/// The `CallContext` as the handler saw it.
struct ContextReply: Codable, Sendable, Equatable {
    var tenant: String
    var userID: String?
    var role: Role?
    var requestID: String
    var idempotencyKey: String?
    var traceparent: String?
    /// Unix milliseconds: ISO 8601 dates on the wire drop the fraction.
    var deadlineMilliseconds: Int64?

    init(_ context: CallContext) {
        tenant = context.tenant.value
        userID = context.userID
        role = context.role
        requestID = context.requestID
        idempotencyKey = context.idempotencyKey
        traceparent = context.traceparent
        deadlineMilliseconds = context.deadline.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }
}

enum EchoOperations {
    static let say = Operation<SayRequest, SayReply>("echo.say")
    static let fail = Operation<FailRequest, Empty>("echo.fail")
    static let context = Operation<Empty, ContextReply>("echo.context", readOnly: true)
    static let find = Operation<FindRequest, Item?>("echo.find", readOnly: true)
    static let list = Operation<Empty, [Item]>("echo.list", readOnly: true)
    static let slow = Operation<SlowRequest, Empty>("echo.slow")
    static let add = Operation<Int, Int>("echo.add", readOnly: true)
    /// Declared but never bound: both paths answer 404 `unknown_operation`.
    static let unbound = Operation<Empty, Empty>("echo.unbound")
}

enum EchoModule {
    static let sampleTime = Date(timeIntervalSince1970: 1_700_000_000)
    static let items = [Item(key: "a", count: 1), Item(key: "b", count: 2)]

    static func table() -> OperationTable {
        OperationTable(module: "echo", decodeError: { EchoError(problem: $0) })
            .bind(EchoOperations.say) { _, request in
                if request.text.isEmpty { throw EchoError(kind: .silence) }
                if request.text.count > 20 { throw EchoError(kind: .tooLoud) }
                return SayReply(text: String(repeating: request.text, count: request.times ?? 1), at: sampleTime)
            }
            .bind(EchoOperations.fail) { context, request in
                if request.code == "access" { try context.require(.admin) }
                if request.code == "crash" { throw EchoCrash() }
                if let kind = EchoError.Kind(rawValue: request.code) { throw EchoError(kind: kind) }
                return Empty()
            }
            .bind(EchoOperations.context) { context, _ in ContextReply(context) }
            .bind(EchoOperations.find) { _, request in items.first { $0.key == request.key } }
            .bind(EchoOperations.list) { _, _ in items }
            .bind(EchoOperations.slow) { _, request in
                // Stands for a handler stuck on a slow database: the caller must not wait past its timeout.
                Thread.sleep(forTimeInterval: Double(request.milliseconds) / 1000)
                return Empty()
            }
            .bind(EchoOperations.add) { _, number in number + 1 }
    }

    /// Every field set, so the contract sample shows every key.
    static let sampleContext = CallContext(
        tenant: TenantID("demo-bistro")!, userID: "user-1", role: .manager, requestID: "req-1", idempotencyKey: "key-1",
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", deadline: sampleTime)
}

// The contract's samples of the echo types (see `ContractSample`).

extension SayRequest: ContractSample {
    static let contractSample = SayRequest(text: "hi", times: 2)
}

extension SayReply: ContractSample {
    static let contractSample = SayReply(text: "hihi", at: EchoModule.sampleTime)
}

extension FailRequest: ContractSample {
    static let contractSample = FailRequest(code: "busy")
}

extension ContextReply: ContractSample {
    static let contractSample = ContextReply(EchoModule.sampleContext)
}

extension FindRequest: ContractSample {
    static let contractSample = FindRequest(key: "a")
}

extension Item: ContractSample {
    static let contractSample = EchoModule.items[0]
}

extension SlowRequest: ContractSample {
    static let contractSample = SlowRequest(milliseconds: 1)
}

extension Int: ContractSample {
    public static var contractSample: Int { 1 }
}
