import Facade
import Platform

/// The Chat facade as operations: declared once, served in-process by
/// `LocalTransport` and by `chatbot-service` over HTTP.
public enum ChatbotOperations {
    /// Not read-only: a message may place or cancel an order.
    public static let reply = Operation<ChatMessage, ChatReply>("chatbot.reply")

    /// Every operation above: the table Chatbot serves must bind exactly these.
    public static let all: [any DeclaredOperation] = [reply]

    /// Reads a problem received over the wire back into `ChatbotError`.
    public static let decodeError: @Sendable (Problem) -> (any Error)? = { ChatbotError(problem: $0) }

    /// Chatbot as any process reaches it: this operation, these errors.
    public static let interface = ModuleInterface(name: "chatbot", operations: all, decodeError: decodeError)
}
