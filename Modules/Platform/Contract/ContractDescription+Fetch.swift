import Facade
import Foundation
import HTTPClient

extension ContractDescription {
    /// What the service at `baseURL` says it serves (`GET /contract`, which
    /// needs no token), for comparing with what a caller expects before
    /// routing to it or running a contract suite against it.
    ///
    /// Throws a `ContractFailure` saying what went wrong: nothing listening,
    /// an error status, or a body that is not a contract description.
    public static func fetch(from baseURL: String, timeout: Double = 5) throws(ContractFailure) -> ContractDescription {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        let url = base + "/contract"
        let reply: HTTPClientResponse
        do {
            reply = try HTTPClient.shared.send(
                method: "GET", url: url, headers: [("accept", "application/json")],
                connectTimeout: min(1, timeout), totalTimeout: timeout)
        } catch {
            throw ContractFailure("cannot reach \(url): \(error.debugDescription)")
        }
        guard reply.status == 200 else {
            throw ContractFailure("\(url) answered \(reply.status), not a contract description")
        }
        do {
            return try JSONDecoder().decode(ContractDescription.self, from: Data(reply.body))
        } catch {
            throw ContractFailure("\(url) answered something that is not a contract description")
        }
    }
}
