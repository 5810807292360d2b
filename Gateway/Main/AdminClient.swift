import Foundation
import HTTPClient
import Platform
import Security

/// The gateway's admin API as `banyan flags` calls it: the gateway's URL,
/// the ops token, JSON in and out, and a refusal (any non-2xx) turned into
/// the one line the command prints, from the problem's `detail` and `code`.
struct AdminClient {
    /// A call that did not succeed: what to print, and whether the gateway
    /// refused (a 4xx: exit 1 like any refusal) or could not be asked.
    struct Failure: Error {
        let message: String
        let status: Int?
        let code: String?
    }

    let baseURL: String
    private let token: String

    /// `--gateway`, else `BANYAN_GATEWAY_URL`, else this host's gateway on
    /// `BANYAN_PORT` (8000); the ops token from `BANYAN_OPS_TOKEN`, else the
    /// gateway's state directory (`BANYAN_HOME`, default `./.banyan`) —
    /// read, never created: a new token would be refused anyway.
    static func connect(gateway: String?) throws(Failure) -> AdminClient {
        let url =
            gateway ?? Configuration.value("BANYAN_GATEWAY_URL")
            ?? "http://127.0.0.1:\(Configuration.value("BANYAN_PORT") ?? "8000")"
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw Failure(message: "the gateway URL must start with http:// or https://, not \(url)", status: nil, code: nil)
        }
        let token: [UInt8]?
        do {
            token = try SecretStore.load(environment: "BANYAN_OPS_TOKEN", file: "ops-token")
        } catch {
            throw Failure(message: "cannot read the ops token: \(error)", status: nil, code: nil)
        }
        guard let token else {
            throw Failure(
                message: "no ops token: set BANYAN_OPS_TOKEN, or run where the gateway keeps its state "
                    + "(BANYAN_HOME, default ./.banyan/ops-token)",
                status: nil, code: nil)
        }
        return AdminClient(baseURL: url.hasSuffix("/") ? String(url.dropLast()) : url, token: String(decoding: token, as: UTF8.self))
    }

    func get<Answer: Decodable>(_ path: String, as type: Answer.Type) throws(Failure) -> Answer {
        try decode(type, from: call("GET", path))
    }

    /// The raw answer, for `--json`.
    func getRaw(_ path: String) throws(Failure) -> [UInt8] {
        try call("GET", path).body
    }

    func send<Body: Encodable, Answer: Decodable>(
        _ method: String, _ path: String, _ body: Body, headers: [(name: String, value: String)] = [],
        as type: Answer.Type
    ) throws(Failure) -> Answer {
        try decode(type, from: sendRaw(method, path, body, headers: headers))
    }

    func sendRaw<Body: Encodable>(
        _ method: String, _ path: String, _ body: Body, headers: [(name: String, value: String)] = []
    ) throws(Failure) -> HTTPClientResponse {
        let bytes: [UInt8]
        do {
            bytes = try WireJSON.encode(body)
        } catch {
            throw Failure(message: "cannot encode the request: \(error)", status: nil, code: nil)
        }
        return try call(method, path, body: bytes, headers: headers + [("content-type", "application/json")])
    }

    private func call(
        _ method: String, _ path: String, body: [UInt8]? = nil, headers: [(name: String, value: String)] = []
    ) throws(Failure) -> HTTPClientResponse {
        let response: HTTPClientResponse
        do {
            // The status asks every service's /ready (2 s each, at once): 30 s is ample.
            response = try HTTPClient.shared.send(
                method: method, url: baseURL + path, headers: headers + [("authorization", "Bearer \(token)")],
                body: body, connectTimeout: 5, totalTimeout: 30)
        } catch {
            throw Failure(message: "cannot reach the gateway at \(baseURL): \(error)", status: nil, code: nil)
        }
        guard (200..<300).contains(response.status) else {
            let problem = try? WireJSON.decode(ProblemBody.self, from: response.body)
            let detail = problem?.detail ?? String(decoding: response.body.prefix(200), as: UTF8.self)
            let code = problem?.code
            throw Failure(
                message: "\(detail) (\(response.status)\(code.map { " \($0)" } ?? ""))", status: response.status,
                code: code)
        }
        return response
    }

    /// What of an `application/problem+json` body the message uses.
    private struct ProblemBody: Decodable {
        let detail: String?
        let code: String?
    }

    private func decode<Answer: Decodable>(_ type: Answer.Type, from response: HTTPClientResponse) throws(Failure)
        -> Answer
    {
        do {
            return try WireJSON.decode(type, from: response.body)
        } catch {
            throw Failure(
                message: "the gateway at \(baseURL) answered what this banyan cannot read: \(error)", status: nil,
                code: nil)
        }
    }
}
