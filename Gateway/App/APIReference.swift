import Foundation
import Platform

/// The API as the routes declare it, with every schema derived from its
/// Swift type: what `/openapi.json` and `/docs` both show.
struct APIReference {
    struct Operation {
        let method: String
        let path: String
        let summary: String
        let tag: String
        let access: Route.Access
        let pathParameters: [String]
        let query: [QueryParameterDocumentation]
        let headers: [HeaderDocumentation]
        let requestBody: (schema: JSONSchema, required: Bool)?
        /// By status: the successes, then one per status of the problems.
        let responses: [Response]

        /// Unique per method and path: `get_api_v1_orders_id`.
        var operationID: String {
            ([method.lowercased()] + path.split(separator: "/").map { $0.trimmingCharacters(in: ["{", "}"]) })
                .joined(separator: "_")
        }
    }

    struct Response {
        let status: Int
        let description: String
        /// The body's content type and schema; nil for none.
        let body: (contentType: String, schema: JSONSchema)?
        let headers: [(name: String, description: String)]
        /// For a problem: the codes it can carry, sorted.
        let problemCodes: [String]
    }

    let operations: [Operation]
    /// Every object and enum the operations mention, by component name.
    let components: [String: JSONSchema]
    /// The component of `ProblemDetails`.
    let problem: JSONSchema

    /// The operations' groups, in the order they first appear.
    var tags: [String] {
        operations.reduce(into: []) { tags, operation in
            if !tags.contains(operation.tag) { tags.append(operation.tag) }
        }
    }

    init(routes: [Route]) throws {
        let catalog = SchemaCatalog()
        let problem = try catalog.schema(for: ProblemDetails.self)
        self.problem = problem
        operations = try routes.map { route in
            let documentation = route.documentation
            let successes = try documentation.responses.map { response in
                Response(
                    status: response.status, description: response.description,
                    body: try response.body.map { ($0.contentType, try $0.schema.derive(catalog)) },
                    headers: response.headers, problemCodes: [])
            }
            let problems = Dictionary(grouping: documentation.problems, by: \.status).sorted { $0.key < $1.key }
                .map { status, problems in
                    Response(
                        status: status, description: Problem.reasonPhrase(status),
                        body: (Problem.contentType, problem), headers: [],
                        problemCodes: Set(problems.map(\.code)).sorted())
                }
            return Operation(
                method: route.method, path: route.pattern, summary: documentation.summary, tag: documentation.tag,
                access: route.access, pathParameters: route.parameterNames, query: documentation.query,
                headers: documentation.headers,
                requestBody: try documentation.requestBody.map { (try $0.schema.derive(catalog), $0.required) },
                responses: successes + problems)
        }
        components = catalog.components
    }
}
