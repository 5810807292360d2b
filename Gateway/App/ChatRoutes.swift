import ChatbotAPI
import HTTPServer
import Platform

/// `/api/v1/chat`: HTTP in front of the `ChatFacade`.
enum ChatRoutes {
    /// The longest message accepted (UTF-8 bytes); the assistant reads only its start anyway.
    static let maximumMessageBytes = 10 * 1024
    /// Room for the JSON envelope and escapes around a message of the maximum size.
    static let maximumBodyBytes = maximumMessageBytes + 1024

    static func routes(chat: any ChatFacade) -> [Route] {
        [
            Route("POST", "/api/v1/chat", access: .user) { context in
                // Checked before decoding, so an oversized body costs no parsing.
                guard context.request.body.count <= maximumBodyBytes else { throw tooLong }
                let message = try context.decode(ChatMessage.self)
                guard message.message.utf8.count <= maximumMessageBytes else { throw tooLong }
                return try JSONCoding.response(try chat.reply(context.callContext, message))
            }
        ]
    }

    static let tooLong = Problem(
        status: 413, code: "message_too_long", detail: "A chat message can be at most \(maximumMessageBytes / 1024) KB.")
}
