import Foundation
import OrdersAPI
import Platform
import Security
import Testing

@testable import Gateway

/// The JSON Schemas of the API document come from the Codable types
/// themselves: names, optionality, nesting, enums and dates as the wire has them.
@Suite struct SchemaCatalogTests {
    private func object(_ schema: JSONSchema?) -> [String: JSONSchema.Property] {
        guard case .object(let properties)? = schema else { return [:] }
        return Dictionary(uniqueKeysWithValues: properties.map { ($0.name, $0) })
    }

    @Test func anOrderIsDescribedByItsWireNames() throws {
        let catalog = SchemaCatalog()
        #expect(try catalog.schema(for: Order.self) == .reference("Order"))
        let order = object(catalog.components["Order"])
        #expect(
            Set(order.keys) == [
                "id", "number", "status", "total_cents", "currency", "items", "payment_status", "payment_method",
                "failure_code", "created_at",
            ])
        #expect(order["total_cents"]?.schema == .integer(format: "int64"))
        #expect(order["created_at"]?.schema == .string(format: "date-time"))
        #expect(order["status"]?.schema == .reference("Order.Status"))
        #expect(order["items"]?.schema == .array(of: .reference("Order.Line")))
        // decodeIfPresent: may be absent or null.
        #expect(order["failure_code"]?.required == false)
        #expect(order["failure_code"]?.schema == .nullable(.string()))
        #expect(order["id"]?.required == true)
        #expect(
            catalog.components["Order.Status"] == .enumeration(["pending", "completed", "payment_failed", "cancelled"]))
        #expect(object(catalog.components["Order.Line"])["unit_price_cents"]?.required == true)
    }

    struct Wrapper: Codable {
        var code: String
        init(from decoder: any Decoder) throws { code = try decoder.singleValueContainer().decode(String.self) }
    }

    struct Odd: Codable {
        var labels: [String: Int]
        var anything: JSONValue
        var codes: [Wrapper]
        var nested: [String]
        var inner: Int

        enum CodingKeys: String, CodingKey { case labels, anything, codes, nested, inner }
        enum InnerKeys: String, CodingKey { case value }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            labels = try container.decode([String: Int].self, forKey: .labels)
            anything = try container.decode(JSONValue.self, forKey: .anything)
            codes = try container.decode([Wrapper].self, forKey: .codes)
            var list = try container.nestedUnkeyedContainer(forKey: .nested)
            nested = [try list.decode(String.self)]
            inner = try container.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner).decode(
                Int.self, forKey: .value)
        }
    }

    @Test func customDecodersAreFollowed() throws {
        let catalog = SchemaCatalog()
        _ = try catalog.schema(for: Odd.self)
        let odd = object(catalog.components["SchemaCatalogTests.Odd"])
        #expect(odd["labels"]?.schema == .dictionary(of: .integer(format: "int64")))
        #expect(odd["anything"]?.schema == .any)
        // A single-value type is its value, inline.
        #expect(odd["codes"]?.schema == .array(of: .string()))
        #expect(odd["nested"]?.schema == .array(of: .string()))
        #expect(
            odd["inner"]?.schema == .object([.init(name: "value", schema: .integer(format: "int64"), required: true)]))
    }

    private enum Mood: String, Codable { case fine }
    private struct Moody: Codable { var mood: Mood }

    private final class Chain: Codable { var next: Chain? }

    @Test func whatCannotBeDescribedSaysWhy() {
        #expect {
            try SchemaCatalog().schema(for: Moody.self)
        } throws: { error in
            "\(error)".contains("Mood at mood") && "\(error)".contains("make it CaseIterable")
        }
        #expect {
            try SchemaCatalog().schema(for: Chain.self)
        } throws: { error in
            "\(error)".contains("contains itself")
        }
    }

    @Test func componentNamesAreShortAndUnique() throws {
        let catalog = SchemaCatalog()
        #expect(try catalog.schema(for: OrdersAPI.OrderPage.self) == .reference("OrderPage"))
        // A second type of that name keeps its module.
        #expect(try catalog.schema(for: OrderPage.self) == .reference("RoutingTests.OrderPage"))
        #expect(
            Set(catalog.components.keys) == [
                "OrderPage", "Order", "Order.Status", "Order.Line", "RoutingTests.OrderPage",
            ])
    }

    /// The hand-written and pre-encoded bodies decode as the types that document them.
    @Test func preEncodedBodiesAreValuesOfTheirDocumentedTypes() throws {
        let me = AuthRoutes.meBody(
            JWTClaims(subject: "u1", tenant: "t-1", role: "cashier", username: "sam", issuedAt: 1, expiresAt: 2))
        let caller = try WireJSON.decoder.decode(AuthRoutes.Caller.self, from: Data(me))
        #expect(caller.tenantID == "t-1" && caller.tokenExpiresAt == 2 && caller.role == .cashier)

        let problem = Problem(status: 409, code: "x_taken", detail: "Taken.", extensions: ["retry_after": .int(3)])
        let details = try WireJSON.decoder.decode(ProblemDetails.self, from: Data(problem.json))
        #expect(details.code == "x_taken" && details.status == 409 && details.type == problem.type)
    }
}

/// Shares its name with `OrdersAPI.OrderPage`, in this file only.
private struct OrderPage: Codable {
    var note: String
}
