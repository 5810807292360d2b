import Foundation
import Platform
import Postgres

/// One outbox row as an operator sees it (`GET /admin/events`).
public struct OutboxEntry: Codable, Sendable, Equatable {
    public var id: Int64
    /// The module (schema) whose outbox holds it; with `id`, the key for a retry.
    public var module: String
    public var type: String
    public var tenant: String
    public var payload: JSONValue
    /// `pending`, `delivered` or `parked`.
    public var status: String
    public var attempts: Int
    /// The last failure: the subscriber's name and error, at most 500 characters.
    public var lastError: String?
    public var createdAt: Date
    public var nextAttemptAt: Date

    public init(
        id: Int64, module: String, type: String, tenant: String, payload: JSONValue, status: String, attempts: Int,
        lastError: String?, createdAt: Date, nextAttemptAt: Date
    ) {
        self.id = id
        self.module = module
        self.type = type
        self.tenant = tenant
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
    }

    enum CodingKeys: String, CodingKey {
        case id, module, payload, status, attempts
        case type = "event_type"
        case tenant = "tenant_id"
        case lastError = "last_error"
        case createdAt = "created_at"
        case nextAttemptAt = "next_attempt_at"
    }

    init(row: PostgresRow, module: String) throws {
        let payloadText = try row.string("payload")
        // jsonb always reads back as valid JSON; the fallback only keeps a
        // listing alive if that ever changed.
        let payload =
            (try? WireJSON.decoder.decode(JSONValue.self, from: Data(payloadText.utf8))) ?? .string(payloadText)
        self.init(
            id: try row.int64("id"), module: module, type: try row.string("event_type"),
            tenant: try row.string("tenant_id"), payload: payload, status: try row.string("status"),
            attempts: try row.int("attempts"), lastError: try row.optionalString("last_error"),
            createdAt: try row.date("created_at"), nextAttemptAt: try row.date("next_attempt_at"))
    }
}
