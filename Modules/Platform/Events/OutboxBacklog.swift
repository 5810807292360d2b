/// One module's outbox at a glance: events not yet delivered, and events
/// parked for an operator.
public struct OutboxBacklog: Sendable, Equatable {
    public var module: String
    public var pending: Int
    public var parked: Int
}
