import Foundation
import Platform

/// Calls the handler bound in an `OperationTable` directly: the caller's
/// request value goes in, the handler's response value comes out, nothing
/// is serialized.
public struct LocalTransport: Transport {
    private let table: OperationTable

    public init(_ table: OperationTable) {
        self.table = table
    }

    public func call<Request, Response>(
        _ operation: Operation<Request, Response>, _ context: CallContext, _ request: Request
    ) throws -> Response {
        guard let handler = table.handler(for: operation) else {
            throw LocalTransport.unknown(operation.name)
        }
        // Like the service, refuse work whose caller has stopped waiting.
        if let deadline = context.deadline, deadline.timeIntervalSinceNow <= 0 {
            throw DeadlineExceeded()
        }
        return try handler(context, request)
    }

    /// The service's answer for an operation it does not serve, so both paths agree.
    static func unknown(_ name: String) -> Problem {
        .notFound("unknown_operation", "No operation \(name) here.")
    }
}
