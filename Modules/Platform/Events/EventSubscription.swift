import Foundation
import Platform

/// A subscriber with its event type erased, so the dispatcher can keep every
/// subscriber in one table keyed by `eventType`.
struct EventSubscription: Sendable {
    let name: String
    /// Decodes the payload as the subscriber's type, then calls its handler.
    let deliver: @Sendable (Data, EventMetadata) throws -> Void

    init<E: DomainEvent>(
        _ type: E.Type, name: String, handler: @escaping @Sendable (E, EventMetadata) throws -> Void
    ) {
        self.name = name
        deliver = { payload, metadata in
            let event: E
            do {
                event = try WireJSON.decoder.decode(E.self, from: payload)
            } catch {
                throw UndecodablePayload(type: E.eventType, reason: String(describing: error))
            }
            try handler(event, metadata)
        }
    }
}

/// A payload that does not decode as its type: retrying cannot help, so the
/// event is parked at once.
struct UndecodablePayload: Error, CustomStringConvertible {
    let type: String
    let reason: String

    var description: String { "payload does not decode as \(type): \(reason)" }
}
