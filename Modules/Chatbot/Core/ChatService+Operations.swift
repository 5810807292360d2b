import ChatbotAPI
import Facade
import Platform

extension ChatService {
    /// This service's handler bound to the Chatbot operation: what
    /// `LocalTransport` calls in-process and chatbot-service serves over HTTP.
    ///
    /// The length is checked here, at the module's door, so a caller that
    /// is not the gateway (whose route refuses it first, 413) meets the same
    /// bound; `reply` itself answers anything it is given.
    package func operations() -> OperationTable {
        OperationTable(module: "chatbot", decodeError: ChatbotOperations.decodeError)
            .bind(ChatbotOperations.reply) { [self] context, message in
                guard message.message.utf8.count <= ChatMessage.maximumBytes else {
                    throw ChatbotError.invalidInput(
                        field: "message", reason: "is longer than \(ChatMessage.maximumBytes / 1024) KB")
                }
                return try reply(context, message)
            }
    }
}
