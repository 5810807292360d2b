import HTTPServer
import OrdersAPI
import Platform
import Testing

@testable import Gateway

/// Query parameters parse one way everywhere: absent is the default, and
/// anything not acceptable is 400 `invalid_query` naming the parameter.
@Suite struct QueryParameterTests {
    private func request(_ query: String) -> HTTPRequest {
        HTTPRequest(method: "GET", target: "/x?" + query, path: "/x", query: query)
    }

    private func refusal<Value>(_ parameter: QueryParameter<Value>, _ query: String) -> Problem? {
        do {
            _ = try parameter.value(in: request(query))
            return nil
        } catch {
            return error
        }
    }

    static let limit = QueryParameter.int("limit", in: 1...200, default: 50)

    @Test(arguments: [("", 50), ("limit=1", 1), ("limit=200", 200), ("other=3&limit=7", 7)])
    func integers(query: String, expected: Int) throws {
        #expect(try Self.limit.value(in: request(query)) == expected)
    }

    @Test(arguments: [
        "limit=abc", "limit=0", "limit=201", "limit=", "limit=1.5", "limit=-3", "limit=99999999999999999999",
    ])
    func integersOutsideTheRangeAreInvalidQueries(query: String) {
        let problem = refusal(Self.limit, query)
        #expect(problem?.status == 400)
        #expect(problem?.code == "invalid_query")
        #expect(problem?.detail == "limit: must be an integer from 1 to 200")
        #expect(problem?.extensions["parameter"] == .string("limit"))
    }

    @Test(arguments: [
        ("", false), ("flag=true", true), ("flag=1", true), ("flag", true), ("flag=false", false), ("flag=0", false),
    ])
    func booleans(query: String, expected: Bool) throws {
        #expect(try QueryParameter.bool("flag").value(in: request(query)) == expected)
    }

    @Test func otherBooleansAreInvalidQueries() {
        let problem = refusal(QueryParameter.bool("include_done"), "include_done=maybe")
        #expect(problem?.code == "invalid_query")
        #expect(problem?.detail == "include_done: must be true or false")
    }

    @Test func enumerationsTakeTheirRawValues() throws {
        let status = QueryParameter.enumeration("status", of: Order.Status.self)
        #expect(try status.value(in: request("")) == nil)
        #expect(try status.value(in: request("status=payment_failed")) == .paymentFailed)
        #expect(
            refusal(status, "status=paid")?.detail
                == "status: must be one of pending, completed, payment_failed, cancelled")

        let listing = QueryParameter.enumeration("status", default: EventRoutes.Listing.parked)
        #expect(try listing.value(in: request("")) == .parked)
        #expect(try listing.value(in: request("status=all")) == .all)
        #expect(refusal(listing, "status=ALL")?.code == "invalid_query")
    }

    @Test func aRequiredStringMustBeThere() throws {
        let orderID = QueryParameter.string("order_id")
        #expect(try orderID.value(in: request("order_id=o%2D1")) == "o-1")
        #expect(refusal(orderID, "")?.detail == "order_id: is required: a non-empty string")
        #expect(refusal(orderID, "order_id=")?.detail == "order_id: must be a non-empty string")
    }

    @Test func theDocumentationSaysWhatIsAccepted() {
        let documentation = Self.limit.documentation
        #expect(documentation.name == "limit")
        #expect(!documentation.required)
        #expect(documentation.schema == .integer(format: "int64", minimum: 1, maximum: 200))
        #expect(QueryParameter.string("order_id").documentation.required)
        #expect(
            QueryParameter.int("offset", in: 0...Int.max, default: 0).documentation.accepts == "an integer, 0 or more")
    }
}
