import Dispatch
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
///   `request_id`, `tenant`, and `operation` when there is one.
///
///     func respond(to request: HTTPRequest) -> HTTPResponse {
///         pipeline.respond(to: request) { entry in
///             try route(request, &entry)
///         }
///     }
public struct RequestPipeline: Sendable {
    private let log: Log
    private let problem: @Sendable (any Error) -> Problem?

    /// - Parameter problem: the answer to an error that is not
    ///   `ProblemConvertible`, or nil for a 500. Such errors are logged either way.
    public init(log: Log, problem: @escaping @Sendable (any Error) -> Problem? = { _ in nil }) {
        self.log = log
        self.problem = problem
    }

    /// Runs `handle` for `request` and returns its response, or the problem it threw.
    public func respond(
        to request: HTTPRequest, _ handle: (inout AccessLogEntry) throws -> HTTPResponse
    ) -> HTTPResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        var entry = AccessLogEntry(requestID: RequestID.resolve(request.headers[RequestID.header]))
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
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
        let method = Log.Value.string(request.method), path = Log.Value.string(request.path)
        let status = Log.Value.int(response.status), duration = Log.Value.double((elapsed * 1000).rounded() / 1000)
        let requestID = Log.Value.string(entry.requestID)
        let tenant = Log.Value.string(entry.tenant ?? request.headers["x-tenant-id"].map(Self.loggable) ?? "")
        // Literal field lists, not an array built per request: this line is
        // written for every request, and `Log.info` is specialized for them.
        if let operation = entry.operation {
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
        log.emit(level: "error", message: "request failed", fields: fields)
        return answer
    }

    /// Header values are caller input: keep log fields short.
    private static func loggable(_ value: String) -> String { String(value.prefix(64)) }
}
