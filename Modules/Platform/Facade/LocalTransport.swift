import Foundation
import Metrics
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
        let handler = try binding(operation, context)
        guard let meter = meter.current else { return try handler(context, request) }
        return try LocalTransport.measured(in: meter) { try handler(context, request) }
    }

    /// The call, also counted in `series` (`ModuleCallMetrics`, the routed
    /// transport's): timed once, by the module signals' measurement when
    /// the table is measured, and that latency recorded in both.
    public func call<Request, Response>(
        _ operation: Operation<Request, Response>, _ context: CallContext, _ request: Request,
        countingIn series: ModuleCallMetrics.Series
    ) throws -> Response {
        let handler = try binding(operation, context)
        guard let meter = meter.current else { return try series.timing { try handler(context, request) } }
        let started = CallMeasurement.begin()
        do {
            let response = try handler(context, request)
            series.record(nanoseconds: CallMeasurement.end(started, in: meter, failed: false), error: nil)
            return response
        } catch {
            series.record(nanoseconds: CallMeasurement.end(started, in: meter, failed: true), error: error)
            throw error
        }
    }

    /// The handler bound to `operation`, once the call may go ahead.
    @inline(__always)
    private func binding<Request, Response>(
        _ operation: Operation<Request, Response>, _ context: CallContext
    ) throws -> @Sendable (CallContext, Request) throws -> Response {
        let index = operation.index
        guard index < handlers.count, let erased = handlers[index],
            erased.types == (ObjectIdentifier(Request.self), ObjectIdentifier(Response.self))
        else { throw LocalTransport.unknown(operation.name) }
        // Like the service, refuse work whose caller has stopped waiting.
        if let deadline = context.deadline, DeadlineClock.secondsLeft(until: deadline) <= 0 {
            throw DeadlineExceeded()
        }
        // `TypedBinding` is the only binding there is, and its types are
        // these: the cast is sound, and skips a dynamic cast per call.
        return unsafeDowncast(erased, to: TypedBinding<Request, Response>.self).handler
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
