import BanyanTestSupport
import Facade
import Foundation
import HTTPClient
import ModuleRegistry
import Platform
import Postgres

/// The gateway's internal listener as a service calling the monolith sees it.
extension TestGateway {
    /// What a service gets as `BANYAN_MONOLITH_URL`.
    var internalURL: String { "http://127.0.0.1:\(gateway.internalPort)" }

    /// Calls to the internal listener for `module`'s operations, signed as a service signs them.
    func internalTransport(module: ModuleInterface) -> HTTPTransport {
        HTTPTransport(
            module: module.name, baseURL: internalURL, tokens: ServiceTokenIssuer(secret: serviceSecret),
            decodeError: { module.decodeError($0) }, connectTimeout: 5, totalTimeout: 30)
    }

    /// Every extractable module's operations at the internal listener, each
    /// signed for its own module: what a service calling several modules homed
    /// in the monolith sends (Orders' contract cases stock a menu through
    /// Restaurant and Inventory first).
    func internalTransport() -> any Transport {
        ModuleSwitch(
            Dictionary(uniqueKeysWithValues: ModuleRegistry.extractable.compactMap(\.service?.interface).map {
                ($0.name, internalTransport(module: $0))
            }))
    }

    /// A raw request to the internal listener, for what no transport would send.
    func sendInternal(
        _ method: String, _ path: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil
    ) throws -> HTTPClientResponse {
        try HTTPClient.shared.send(method: method, url: internalURL + path, headers: headers, body: body, totalTimeout: 30)
    }

    /// How many payments `tenant` has in the database, made by whichever process.
    func paymentRows(tenant: String, key: String? = nil) throws -> Int {
        try withSQL { db in
            if let key {
                return try db.query(
                    "SELECT count(*) AS n FROM payments.payments WHERE tenant_id = \(tenant) AND idempotency_key = \(key)"
                ).first!.int("n")
            }
            return try db.query("SELECT count(*) AS n FROM payments.payments WHERE tenant_id = \(tenant)").first!.int("n")
        }
    }
}
