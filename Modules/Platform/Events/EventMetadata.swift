import Foundation
import Platform

/// What a subscriber learns about an event beside its payload: which outbox
/// row it came from (with `module`, a stable key for idempotent handling),
/// whose it is, and how many times delivery has been tried.
public struct EventMetadata: Sendable {
    /// The outbox row id, unique within `module`.
    public let id: Int64
    /// The module (schema) whose outbox holds the event.
    public let module: String
    /// The event's `eventType`.
    public let type: String
    public let tenant: TenantID
    /// When the publishing transaction wrote it.
    public let occurredAt: Date
    /// 1 on the first delivery, 2 on the first retry, …
    public let attempt: Int

    public init(id: Int64, module: String, type: String, tenant: TenantID, occurredAt: Date, attempt: Int) {
        self.id = id
        self.module = module
        self.type = type
        self.tenant = tenant
        self.occurredAt = occurredAt
        self.attempt = attempt
    }
}
