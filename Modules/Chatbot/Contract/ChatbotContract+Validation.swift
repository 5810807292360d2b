import ChatbotAPI
import Contract
import Platform

extension ChatbotContract {
    static let validation: [Case] = [
        Case("a message over 10 KB is validation_failed naming message, and nothing is ordered; an empty one gets help") {
            provider, env in
            let tea = try stocked(provider, env, "Tea", stock: 3)
            let oversize = "order 1 tea " + String(repeating: " ", count: ChatMessage.maximumBytes)
            let error = try Expect.error(ChatbotError.invalidInput(field: "message", reason: ""), "an oversize message") {
                try provider.chat.reply(env.cashier, ChatMessage(message: oversize))
            }
            try Expect.that(error.detail.hasPrefix("message:"), "the error names message (\(error.detail))")
            let longest = "order 1 tea" + String(repeating: " ", count: ChatMessage.maximumBytes - 11)
            _ = try ask(provider, env.cashier, longest, intent: "place_order")
            try Expect.equal(try orderCount(provider, env.cashier), 1, "orders after the longest message, which is taken")
            _ = try ask(provider, env.cashier, "", intent: "help")
            try Expect.equal(try onHand(provider, env, tea), 2, "tea on hand afterwards")
        },
    ]
}
