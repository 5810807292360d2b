import Facade
import Platform

// The contract sample of each type the Chatbot operation carries: `data`
// set, so its key is in the contract's shapes and its fingerprint (see
// `ContractSample`). Its members vary by intent; the sample shows one.

extension ChatMessage: ContractSample {
    public static let contractSample = ChatMessage(message: "order 2 burgers")
}

extension ChatReply: ContractSample {
    public static let contractSample = ChatReply(
        intent: "place_order", reply: "Order B-000042 placed: 2 × Burger. Total 17.00 USD, paid in cash.",
        data: .object(["order": .object(["number": .string("B-000042")])]))
}
