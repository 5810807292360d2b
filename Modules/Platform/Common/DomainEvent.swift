/// Something that happened in a module that others may react to
/// (`OrderPlaced`, `PaymentCaptured`, …). Declared in the publishing module's
/// API target; written to its outbox in the same transaction as the change;
/// delivered after commit. Subscribers must be idempotent: delivery is at
/// least once.
public protocol DomainEvent: Codable, Sendable {
    /// The stable name subscribers match on, e.g. `OrderPlaced`.
    static var eventType: String { get }
}
