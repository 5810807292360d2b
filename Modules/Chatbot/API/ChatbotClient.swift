import Facade
import Platform

/// `ChatFacade` over a `Transport`: the same call whether Chatbot runs in
/// this process or in its own service.
public struct ChatbotClient: ChatFacade {
    private let transport: any Transport

    public init(transport: any Transport) { self.transport = transport }

    public func reply(_ context: CallContext, _ message: ChatMessage) throws -> ChatReply {
        try transport.call(ChatbotOperations.reply, context, message)
    }
}
