import HTTPServer
import Platform

/// `GET /openapi.json`, `GET /docs` and `GET /docs/errors`: the API
/// documentation, derived from the routes' own declarations (and the
/// problem codes from `ProblemCatalog`) when the route table is built, then
/// served as bytes made once. Public, like `/health`.
enum DocsRoutes {
    /// `routes`, and the two documentation routes describing all of them (themselves included).
    static func including(_ routes: [Route]) -> [Route] {
        // The documentation lists its own routes, so they are declared once
        // to be described, then again serving what was built.
        let described =
            routes + documentationRoutes(openAPI: PreEncodedJSON([]), page: HTMLPage([]), errors: HTMLPage([]))
        let reference: APIReference
        do {
            reference = try APIReference(routes: described)
        } catch {
            preconditionFailure("the API documentation cannot be built: \(error)")
        }
        return routes
            + documentationRoutes(
                openAPI: PreEncodedJSON(encoding: OpenAPIDocument.json(reference)),
                page: HTMLPage(Array(APIReferencePage.html(reference).utf8)),
                errors: HTMLPage(Array(ErrorTable.html.utf8)))
    }

    private static func documentationRoutes(
        openAPI: PreEncodedJSON<JSONValue>, page: HTMLPage, errors: HTMLPage
    ) -> [Route] {
        let group = RouteGroup("", access: .anyone, tag: "documentation")
        return [
            group.get("/openapi.json", summary: "This API as OpenAPI 3.1", nonBlocking: true) { _ in openAPI },
            group.get("/docs", summary: "This API as a readable page", nonBlocking: true) { _ in page },
            group.get(
                "/docs/errors", summary: "Every problem code, its HTTP status and meaning", nonBlocking: true
            ) { _ in errors },
        ]
    }
}

/// 200 with an HTML page made before the request came.
struct HTMLPage: ResponseGenerator {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    static var responses: [ResponseDocumentation] {
        [ResponseDocumentation(status: 200, description: "OK", body: (contentType, WireSchema(.string())))]
    }

    static let contentType = "text/html; charset=utf-8"

    func response() -> HTTPResponse {
        HTTPResponse(status: 200, headers: HTTPHeaders([("content-type", Self.contentType)]), body: bytes)
    }
}
