import Foundation
import Platform

/// Picks the card processor for this process.
package enum CardProcessors {
    /// `PAYMENT_GATEWAY_URL` set (environment or `.env`) → an `HTTPCardProcessor`
    /// for that base URL, answering within `BANYAN_PROCESSOR_TIMEOUT_MS` (5000);
    /// otherwise the `SimulatedCardProcessor`. Read once, where a process starts.
    package static func fromEnvironment() -> any CardProcessor {
        let url = Configuration.value("PAYMENT_GATEWAY_URL")?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !url.isEmpty else { return SimulatedCardProcessor() }
        let timeout = Double(Configuration.int("BANYAN_PROCESSOR_TIMEOUT_MS", default: 5000)) / 1000
        return HTTPCardProcessor(baseURL: url, timeout: timeout)
    }
}
