import BanyanTestSupport
import Facade
import Foundation
import HTTPClient
import InventoryAPI
import ModuleRegistry
import PaymentsAPI
import PaymentsModule
import Platform
import Testing

/// The gateway's internal listener: the monolith's modules served to
/// services over HTTP, behind the same walls as a service (service tokens
/// per module, the same problems) and keeping the same contract.
@Suite struct InternalListenerTests {
    let app: TestGateway

    init() throws { app = try TestGateway() }

    static let chargeBody = #"{"amount_cents":300,"currency":"USD","idempotency_key":"k-1","method":"cash"}"#

    /// The headers `HTTPTransport` sends for a cashier of `tenant`, with `token`.
    static func headers(tenant: String, token: String?) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("x-tenant-id", tenant), ("x-user-id", "till-1"), ("x-role", "cashier"),
            ("content-type", "application/json"),
        ]
        if let token { headers.append(("authorization", "Bearer " + token)) }
        return headers
    }

    /// A service token as a service signs it: for `module`, `operation` and exactly `body`.
    func token(module: String, operation: String, body: String, tenant: String) -> String {
        ServiceTokenIssuer(secret: app.serviceSecret).token(
            module: module, operation: operation, body: Array(body.utf8),
            context: CallContext(tenant: TenantID(tenant)!, userID: "till-1", role: .cashier, requestID: "internal-1"))
    }

    func post(_ operation: String, _ body: String, token: String?, tenant: String = "internal-cafe") throws
        -> HTTPClientResponse
    {
        try app.sendInternal(
            "POST", "/operations/" + operation, headers: Self.headers(tenant: tenant, token: token), body: Array(body.utf8))
    }

    func code(_ response: HTTPClientResponse) -> String? {
        guard response.header("content-type") == Problem.contentType,
            case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(response.body)),
            case .string(let code)? = members["code"]
        else { return nil }
        return code
    }

    @Test func aSignedCallRunsInTheMonolith() throws {
        let body = Self.chargeBody
        let response = try post(
            "payments.charge", body, token: token(module: "payments", operation: "payments.charge", body: body, tenant: "internal-cafe"))
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        #expect(try WireJSON.decode(Payment.self, from: response.body).status == .captured)
        #expect(try app.paymentRows(tenant: "internal-cafe") == 1)
    }

    @Test func withoutATokenIs401() throws {
        let response = try post("payments.charge", Self.chargeBody, token: nil)
        #expect(response.status == 401)
        #expect(code(response) == "missing_token")
    }

    /// Each module's operations need a token for that module: a service
    /// allowed to call payments cannot use it on inventory, and back.
    @Test(arguments: [
        ("payments.charge", "inventory"), ("inventory.stock_levels", "payments"), ("payments.charge", "orders"),
    ])
    func aTokenForAnotherModuleIs401(operation: String, signedFor module: String) throws {
        let body = operation == "payments.charge" ? Self.chargeBody : "{}"
        let response = try post(
            operation, body, token: token(module: module, operation: operation, body: body, tenant: "internal-cafe"))
        #expect(response.status == 401)
        #expect(code(response) == "invalid_token")
        #expect(try app.paymentRows(tenant: "internal-cafe") == 0)
    }

    @Test(arguments: ["payments.nothing", "nosuch.operation"])
    func anUnknownOperationIs404(operation: String) throws {
        let module = String(operation.prefix { $0 != "." })
        // Signed for exactly this call: only the operation is wrong. A module
        // the listener does not serve still needs a token for one it does.
        let signedFor = module == "payments" ? module : "payments"
        let response = try post(
            operation, "{}", token: token(module: signedFor, operation: operation, body: "{}", tenant: "internal-cafe"))
        #expect(response.status == 404)
        #expect(code(response) == "unknown_operation")
    }

    @Test(arguments: [#"{"amount_cents": 300"#, "cash", "{} x"])
    func aMalformedBodyIs400(body: String) throws {
        let response = try post(
            "payments.charge", body, token: token(module: "payments", operation: "payments.charge", body: body, tenant: "internal-cafe"))
        #expect(response.status == 400)
        #expect(code(response) == "malformed_json")
    }

    @Test func theProbesAnswerAnyoneAndDescribeEveryModule() throws {
        #expect(try app.sendInternal("GET", "/health").status == 200)
        #expect(try app.sendInternal("GET", "/ready").status == 200)
        let listing = try app.sendInternal("GET", "/contract")
        #expect(listing.status == 200)
        struct Listing: Decodable { var modules: [ContractDescription] }
        let modules = try JSONDecoder().decode(Listing.self, from: Data(listing.body)).modules
        #expect(modules.map(\.module) == ModuleRegistry.extractable.map(\.name).sorted())
        for interface in ModuleRegistry.extractable.compactMap(\.service?.interface) {
            let response = try app.sendInternal("GET", "/contract/" + interface.name)
            #expect(response.status == 200)
            let contract = try JSONDecoder().decode(ContractDescription.self, from: Data(response.body))
            #expect(contract.operations == interface.operations, "\(interface.name) serves what its API declares")
            #expect(modules.contains(contract))
        }
        #expect(try app.sendInternal("GET", "/contract/nosuch").status == 401)
    }

    /// The same suites a module's service must pass, against the monolith's listener.
    @Test(arguments: ModuleRegistry.extractable.map(\.name))
    func theModulesContractHoldsAtTheInternalListener(module: String) throws {
        let service = try #require(ModuleRegistry.named(module)?.service)
        let results = service.contract.run(against: app.internalTransport())
        #expect(!results.isEmpty)
        for result in results where !result.passed {
            Issue.record("\(module): \(result.name): \(result.failure ?? "")")
        }
    }
}
