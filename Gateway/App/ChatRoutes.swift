import ChatbotAPI
import HTTPServer
import Platform

/// `/api/v1/chat`: HTTP in front of the `ChatFacade`.
enum ChatRoutes {
    /// The longest message accepted (UTF-8 bytes): the API's own limit, which the assistant keeps too.
    static let maximumMessageBytes = ChatMessage.maximumBytes
    /// Room for the JSON envelope and escapes around a message of the maximum size.
    static let maximumBodyBytes = maximumMessageBytes + 1024

    static func routes(chat: any ChatFacade) -> [Route] {
        // The assistant answers anything typed; it fails only when it, or a module it asks, is down.
        let group = RouteGroup(
            "/api/v1/chat", access: .user,
            problems: PipelineProblems.routedCall(to: "chatbot"))
        return [
            group.post("", summary: "Ask the assistant", body: ChatMessage.self, problems: [tooLong]) {
                context, message in
                guard message.message.utf8.count <= maximumMessageBytes else { throw tooLong }
                return try chat.reply(context.callContext, message)
            }
            // Checked before decoding, so an oversized body costs no parsing.
            .refusingBodies(over: maximumBodyBytes, with: tooLong)
        ]
    }

    static let tooLong = Problem(
        status: 413, code: "message_too_long", detail: "A chat message can be at most \(maximumMessageBytes / 1024) KB."
    )
}
