import Events
import HTTPServer
import Platform

/// `/admin/events`: the operator's view of the outboxes — what was parked
/// after repeated delivery failures — and the action that sends one back.
enum EventRoutes {
    /// Which events a listing shows.
    enum Listing: String, CaseIterable, Sendable {
        /// Given up on after repeated failures.
        case parked
        /// Parked, and those still being retried.
        case all
    }

    static let status = QueryParameter.enumeration("status", default: Listing.parked)
    static let limit = QueryParameter.int("limit", in: 1...500, default: 100)
    static let notFound = Problem.notFound("event_not_found", "No parked event with that module and id.")

    static func routes(dispatcher: EventDispatcher) -> [Route] {
        let events = RouteGroup("/admin/events", access: .operator)
        return [
            events.get(summary: "Parked events, newest first", query: [status, limit]) { context in
                EventList(
                    events: try dispatcher.events(
                        includePending: try context.query(status) == .all, limit: try context.query(limit)))
            },
            events.post("/{module}/{id}/retry", summary: "Put a parked event back in the queue", problems: [notFound]) {
                context in
                // The module name only selects a registered source; it never reaches SQL.
                guard let id = Int64(context.parameter("id")),
                    try dispatcher.retry(module: context.parameter("module"), id: id)
                else { throw notFound }
                return RetryResult(retried: true)
            },
        ]
    }

    struct EventList: Codable {
        let events: [OutboxEntry]
    }

    struct RetryResult: Codable {
        let retried: Bool
    }
}
