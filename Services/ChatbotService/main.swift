import Bootstrap
import ChatbotModule

// chatbot-service: the Chatbot module's operation over HTTP. It owns no data
// (no database); it answers through Restaurant, Inventory and Orders wherever
// flags.json homes them for the tenant: their services, or the gateway's
// internal listener.
ServiceMain.run(ChatbotModule.descriptor)
