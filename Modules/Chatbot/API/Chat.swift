import Platform

/// `POST /chat`.
public struct ChatMessage: Codable, Sendable {
    public var message: String

    /// The longest message the operation takes (UTF-8 bytes), as the
    /// gateway's route: the assistant reads only its start anyway.
    public static let maximumBytes = 10 * 1024

    public init(message: String) { self.message = message }
}

/// The assistant's answer, with structured `data` when it has some (the
/// menu, an order, a stock level).
public struct ChatReply: Codable, Sendable, Equatable {
    /// Which intent the assistant understood, e.g. `menu`, `place_order`, `help`.
    public var intent: String
    public var reply: String
    public var data: JSONValue?

    public init(intent: String, reply: String, data: JSONValue? = nil) {
        self.intent = intent
        self.reply = reply
        self.data = data
    }
}

/// The only way into the chat assistant. It owns no data: it answers by
/// calling the other modules' facades as the caller, so it can never do
/// what the caller could not.
public protocol ChatFacade: Sendable {
    /// Never throws for what the user typed: anything it does not understand
    /// gets a helpful reply. It throws only when a module it needs is down.
    func reply(_ context: CallContext, _ message: ChatMessage) throws -> ChatReply
}
