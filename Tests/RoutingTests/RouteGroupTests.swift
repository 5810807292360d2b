import Foundation
import HTTPServer
import OrdersAPI
import Platform
import Testing

@testable import Gateway

/// Typed handlers: what each kind of return value answers, and what a
/// route's declaration tells the documentation.
@Suite struct RouteGroupTests {
    struct Note: Codable, Sendable, Equatable {
        var text: String
    }

    private func run(_ route: Route, body: String? = nil) throws -> HTTPResponse {
        var headers = HTTPHeaders()
        if body != nil { headers.add("content-type", "application/json") }
        var context = RequestContext(
            request: HTTPRequest(
                method: route.method, target: route.pattern, path: route.pattern, headers: headers,
                body: Array((body ?? "").utf8)),
            requestID: "r1")
        return try route.handler(&context)
    }

    private func note(_ response: HTTPResponse) throws -> Note {
        try WireJSON.decode(Note.self, from: response.body)
    }

    private let notes = RouteGroup("/notes", access: .anyone)

    @Test func aValueIs200JSONAndCreatedIs201AndNoContentIs204() throws {
        let read = try run(notes.get("/{id}", summary: "Read") { _ in Note(text: "hi") })
        #expect(read.status == 200)
        #expect(read.headers["content-type"] == "application/json")
        #expect(try note(read) == Note(text: "hi"))

        let created = try run(
            notes.post(summary: "Write", body: Note.self) { _, note in Created(note) }, body: #"{"text":"new"}"#)
        #expect(created.status == 201)
        #expect(try note(created) == Note(text: "new"))

        let deleted = try run(notes.delete("/{id}", summary: "Remove") { _ in NoContent() })
        #expect(deleted.status == 204)
        #expect(deleted.body.isEmpty)
    }

    @Test(arguments: [(Order.Status.pending, 202, "2"), (.completed, 201, nil)] as [(Order.Status, Int, String?)])
    func aPlacedOrderSaysWhereItIsAndWhenToAskAgain(status: Order.Status, expected: Int, retryAfter: String?) throws {
        let order = Order(
            id: "o-1", number: "B-000001", status: status, totalCents: 100, currency: "USD", items: [],
            paymentStatus: nil, paymentMethod: "card", failureCode: nil, createdAt: Date())
        let response = try PlacedOrder(order).response()
        #expect(response.status == expected)
        #expect(response.headers["location"] == "/api/v1/orders/o-1")
        #expect(response.headers["retry-after"] == retryAfter)
        #expect(Set(PlacedOrder.responses.map(\.status)) == [201, 202])
    }

    @Test func anOptionalBodyStandsInForAnEmptyOne() throws {
        let route = notes.post("/optional", summary: "Maybe", body: Note.self, whenEmpty: Note(text: "none")) {
            _, note in note
        }
        #expect(try note(run(route)) == Note(text: "none"))
        #expect(try note(run(route, body: #"{"text":"given"}"#)) == Note(text: "given"))
        #expect(throws: Problem.self) { try run(route, body: "{") }
        #expect(route.documentation.requestBody?.required == false)
    }

    @Test func anOversizedBodyIsRefusedBeforeDecoding() throws {
        let tooLarge = Problem(status: 413, code: "too_large", detail: "No.")
        let route = notes.post(summary: "Small", body: Note.self) { _, note in note }
            .refusingBodies(over: 16, with: tooLarge)
        #expect(try run(route, body: #"{"text":"ok"}"#).status == 200)
        #expect {
            try run(route, body: #"{"text":"far too long for it"}"#)
        } throws: { ($0 as? Problem) == tooLarge }
    }

    @Test func theDeclarationIsTheDocumentation() {
        let orders = RouteGroup("/api/v1/orders", access: .user, problems: [OrdersError.keyReused])
        let limit = QueryParameter.int("limit", in: 1...10, default: 5)
        let list = orders.get(summary: "List", query: [limit], problems: [OrdersError.orderNotFound]) { _ in [Note]() }
        #expect(list.pattern == "/api/v1/orders")
        #expect(list.documentation.tag == "orders")
        #expect(list.documentation.query.map(\.name) == ["limit"])
        #expect(list.documentation.responses.map(\.status) == [200])
        let codes = Set(list.documentation.problems.map(\.code))
        #expect(
            codes.isSuperset(of: [
                "order_not_found", "idempotency_key_reused", "invalid_query", "missing_token", "tenant_mismatch",
                "database_unavailable", "internal_error",
            ]))
        #expect(!codes.contains("malformed_json"))

        let placed = orders.post("/{id}", summary: "Place", body: Note.self) { _, _ in Note(text: "") }
        #expect(placed.parameterNames == ["id"])
        #expect(placed.documentation.requestBody?.required == true)
        #expect(
            Set(placed.documentation.problems.map(\.code)).isSuperset(of: [
                "malformed_json", "unsupported_media_type", "validation_failed",
            ]))

        let quick = notes.get("/quick", summary: "Quick", nonBlocking: true) { _ in Note(text: "") }
        #expect(quick.nonBlocking)
        #expect(quick.documentation.problems.map(\.code) == ["malformed_request", "server_busy", "internal_error"])
    }
}
