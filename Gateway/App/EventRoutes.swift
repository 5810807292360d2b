import Events
import HTTPServer
import Platform

/// `/admin/events`: the operator's view of the outboxes — what was parked
/// after repeated delivery failures — and the action that sends one back.
enum EventRoutes {
    static let defaultLimit = 100
    static let limitRange = 1...500

    static func routes(dispatcher: EventDispatcher) -> [Route] {
        [
            Route("GET", "/admin/events", access: .operator) { context in
                let query = context.request.queryParameters
                let includePending: Bool
                switch query["status"] ?? "parked" {
                case "parked": includePending = false
                case "all": includePending = true
                default: throw Problem.unprocessable("validation_failed", "status: must be parked or all")
                }
                var limit = defaultLimit
                if let text = query["limit"] {
                    guard let value = Int(text), limitRange.contains(value) else {
                        throw Problem.unprocessable(
                            "validation_failed",
                            "limit: must be an integer from \(limitRange.lowerBound) to \(limitRange.upperBound)")
                    }
                    limit = value
                }
                return try JSONCoding.response(
                    EventList(events: try dispatcher.events(includePending: includePending, limit: limit)))
            },
            Route("POST", "/admin/events/{module}/{id}/retry", access: .operator) { context in
                // The module name only selects a registered source; it never reaches SQL.
                guard let id = Int64(context.parameter("id")),
                    try dispatcher.retry(module: context.parameter("module"), id: id)
                else {
                    throw Problem.notFound("event_not_found", "No parked event with that module and id.")
                }
                return try JSONCoding.response(RetryResult(retried: true))
            },
        ]
    }

    private struct EventList: Encodable {
        let events: [OutboxEntry]
    }

    private struct RetryResult: Encodable {
        let retried: Bool
    }
}
