import Foundation
import Platform
import Signals

/// Calls the handler bound in an `OperationTable` directly: the caller's
/// request value goes in, the handler's response value comes out, nothing
/// is serialized.
///
/// Making one freezes the table (see `OperationTable`): the transport keeps
/// its own immutable copy of the handlers, so a call takes no lock and
/// hashes no name.
public struct LocalTransport: Transport {
    private let handlers: [(any OperationBinding)?]
    /// The table's meter slot: each call is measured once the process attaches a meter.
    private let meter: MeterSlot

    public init(_ table: OperationTable) {
        handlers = table.freeze().byIndex
        meter = table.meter
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
        guard let meter = meter.current else { return try binding.handler(context, request) }
        return try LocalTransport.measured(in: meter) { try binding.handler(context, request) }
    }

    /// Runs `handler` measured for the module signals (`CallMeasurement`:
    /// latency, own CPU and database time, thrown or not). Shared with the
    /// internal listener, whose calls run the same tables.
    @inline(__always)
    static func measured<Result>(in meter: ModuleMeter, _ handler: () throws -> Result) rethrows -> Result {
        let started = CallMeasurement.begin()
        do {
            let result = try handler()
            CallMeasurement.end(started, in: meter, failed: false)
            return result
        } catch {
            CallMeasurement.end(started, in: meter, failed: true)
            throw error
        }
    }

    /// The service's answer for an operation it does not serve, so both paths agree.
    static func unknown(_ name: String) -> Problem {
        .notFound("unknown_operation", "No operation \(name) here.")
    }
}
