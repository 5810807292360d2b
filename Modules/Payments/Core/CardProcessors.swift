import Foundation
import Platform

/// Picks the card processor for this process.
package enum CardProcessors {
    /// `PAYMENT_GATEWAY_URL` set (environment or `.env`) → an `HTTPCardProcessor`
    /// for that base URL; otherwise the `SimulatedCardProcessor`.
    package static func fromEnvironment() -> any CardProcessor {
        let url = Configuration.value("PAYMENT_GATEWAY_URL")?.trimmingCharacters(in: .whitespaces) ?? ""
        return url.isEmpty ? SimulatedCardProcessor() : HTTPCardProcessor(baseURL: url)
    }
}
