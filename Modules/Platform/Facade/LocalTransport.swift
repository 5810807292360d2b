import Foundation
import Platform

/// Calls the handler bound in an `OperationTable` directly: the caller's
/// request value goes in, the handler's response value comes out, nothing
/// is serialized.
///
/// Making one freezes the table (see `OperationTable`): the transport keeps
/// its own immutable copy of the handlers, so a call takes no lock and
/// hashes no name.
public struct LocalTransport: Transport {
    private let handlers: [(any OperationBinding)?]

    public init(_ table: OperationTable) {
        handlers = table.freeze().byIndex
    }

    public func call<Request, Response>(
        _ operation: Operation<Request, Response>, _ context: CallContext, _ request: Request
    ) throws -> Response {
        let index = operation.index
        guard index < handlers.count, let erased = handlers[index],
            erased.types == (ObjectIdentifier(Request.self), ObjectIdentifier(Response.self))
        else { throw LocalTransport.unknown(operation.name) }
        // `TypedBinding` is the only binding there is, and its types are
        // these: the cast is sound, and skips a dynamic cast per call.
        let binding = unsafeDowncast(erased, to: TypedBinding<Request, Response>.self)
        // Like the service, refuse work whose caller has stopped waiting.
        if let deadline = context.deadline, DeadlineClock.secondsLeft(until: deadline) <= 0 {
            throw DeadlineExceeded()
        }
        return try binding.handler(context, request)
    }

    /// The service's answer for an operation it does not serve, so both paths agree.
    static func unknown(_ name: String) -> Problem {
        .notFound("unknown_operation", "No operation \(name) here.")
    }
}
