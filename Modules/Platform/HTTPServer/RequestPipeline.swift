import Dispatch
import Metrics
import Platform

/// What the gateway and every service do around each request, whatever they
/// route it to, so both sides behave and log alike:
///
/// - the request id (`RequestID`): the caller's `x-request-id` when sane,
///   else a fresh one; sent back as `x-request-id` on every response;
/// - a thrown error becomes a problem: a `ProblemConvertible` its own, one
///   the `problem` hook knows its answer (the gateway's database outage), any
///   other a logged 500 `internal_error`; a `retry_after` extension is also
///   sent as `Retry-After`;
/// - one access-log line: `method`, `path`, `status`, `duration_ms`,
///   `request_id`, `tenant`, `trace_id` when the request has a trace
///   (`traceparent`), and `operation` when there is one;
/// - with `metrics`, the request counted by the route template the
///   responder put in `entry.route` (`HTTPRequestMetrics`);
/// - with `startTrace`, a request without a valid `traceparent` gets a new
///   one, and the response echoes it (the gateway: the edge of a trace).
///
///     func respond(to request: HTTPRequest) -> HTTPResponse {
///         pipeline.respond(to: request) { entry in
///             try route(request, &entry)
///         }
///     }
public struct RequestPipeline: Sendable {
    private let log: Log
    private let problem: @Sendable (any Error) -> Problem?
    private let metrics: HTTPRequestMetrics?
    private let startTrace: (@Sendable () -> TraceParent)?

    /// - Parameters:
    ///   - problem: the answer to an error that is not `ProblemConvertible`,
    ///     or nil for a 500. Such errors are logged either way.
    ///   - metrics: where requests are counted; nil counts nothing.
    ///   - startTrace: a new trace for a request that brings none; nil keeps
    ///     the caller's, if any (a service, behind the gateway).
    public init(
        log: Log, problem: @escaping @Sendable (any Error) -> Problem? = { _ in nil },
        metrics: HTTPRequestMetrics? = nil, startTrace: (@Sendable () -> TraceParent)? = nil
    ) {
        self.log = log
        self.problem = problem
        self.metrics = metrics
        self.startTrace = startTrace
    }

    /// Runs `handle` for `request` and returns its response, or the problem it threw.
    public func respond(
        to request: HTTPRequest, _ handle: (inout AccessLogEntry) throws -> HTTPResponse
    ) -> HTTPResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        var entry = AccessLogEntry(
            requestID: RequestID.resolve(request.headers[RequestID.header]),
            trace: request.headers[TraceParent.header].flatMap(TraceParent.init) ?? startTrace?())
        var response: HTTPResponse
        do {
            response = try handle(&entry)
        } catch {
            let problem = answer(error, entry)
            response = HTTPResponse.problem(problem)
            // A refusal that says when to come back (`module_busy`) says it the HTTP way too.
            if case .int(let seconds)? = problem.extensions["retry_after"] {
                response.headers.add("retry-after", String(seconds))
            }
        }
        response.headers.add(RequestID.header, entry.requestID)
        if startTrace != nil, let trace = entry.trace { response.headers.add(TraceParent.header, trace.description) }
        let nanoseconds = DispatchTime.now().uptimeNanoseconds - started
        metrics?.observe(
            route: entry.route, operation: entry.operation, method: request.method, status: response.status,
            seconds: Double(nanoseconds) / 1e9)
        let elapsed = Double(nanoseconds) / 1_000_000
        let method = Log.Value.string(request.method), path = Log.Value.string(request.path)
        let status = Log.Value.int(response.status), duration = Log.Value.double((elapsed * 1000).rounded() / 1000)
        let requestID = Log.Value.string(entry.requestID)
        let tenant = Log.Value.string(entry.tenant ?? request.headers["x-tenant-id"].map(Self.loggable) ?? "")
        // Literal field lists, not an array built per request: this line is
        // written for every request, and `Log.info` is specialized for them.
        if let trace = entry.trace {
            let traceID = Log.Value.string(trace.traceID)
            if let operation = entry.operation {
                log.info(
                    "request",
                    [
                        "method": method, "path": path, "status": status, "duration_ms": duration,
                        "request_id": requestID, "tenant": tenant, "trace_id": traceID, "operation": .string(operation),
                    ])
            } else {
                log.info(
                    "request",
                    [
                        "method": method, "path": path, "status": status, "duration_ms": duration,
                        "request_id": requestID, "tenant": tenant, "trace_id": traceID,
                    ])
            }
        } else if let operation = entry.operation {
            log.info(
                "request",
                [
                    "method": method, "path": path, "status": status, "duration_ms": duration,
                    "request_id": requestID, "tenant": tenant, "operation": .string(operation),
                ])
        } else {
            log.info(
                "request",
                [
                    "method": method, "path": path, "status": status, "duration_ms": duration,
                    "request_id": requestID, "tenant": tenant,
                ])
        }
        return response
    }

    private func answer(_ error: any Error, _ entry: AccessLogEntry) -> Problem {
        if let convertible = error as? any ProblemConvertible { return convertible.problem }
        let answer = problem(error) ?? .internalError()
        var fields: [(key: String, value: Log.Value)] = [
            ("request_id", .string(entry.requestID)), ("code", .string(answer.code)), ("error", .string("\(error)")),
        ]
        if let operation = entry.operation { fields.append(("operation", .string(operation))) }
        if let trace = entry.trace { fields.append(("trace_id", .string(trace.traceID))) }
        log.emit(level: "error", message: "request failed", fields: fields)
        return answer
    }

    /// Header values are caller input: keep log fields short.
    private static func loggable(_ value: String) -> String { String(value.prefix(64)) }
}
