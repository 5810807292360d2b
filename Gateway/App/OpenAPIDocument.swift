import Platform

/// `GET /openapi.json`: the API reference as an OpenAPI 3.1 document.
///
/// Problems answer `application/problem+json` with the `ProblemDetails`
/// schema narrowed to the codes the route declared for that status, so a
/// code the document does not list is a schema violation a checker sees.
enum OpenAPIDocument {
    static func json(_ reference: APIReference) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in reference.operations {
            paths[operation.path, default: [:]][operation.method.lowercased()] = json(operation)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("Banyan"),
                "version": .string(HealthRoutes.version),
                "description": .string(
                    "A multi-tenant point-of-sale backend. Every /api/v1 call names its restaurant in x-tenant-id "
                        + "and, but for login, carries a user's bearer token for that restaurant. Errors are "
                        + "application/problem+json with a stable code. A readable version of this document: /docs."),
            ]),
            "tags": .array(reference.tags.map { .object(["name": .string($0)]) }),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object([
                "schemas": .object(reference.components.mapValues(\.json)),
                "securitySchemes": .object([
                    "tenant": .object([
                        "type": .string("apiKey"), "in": .string("header"), "name": .string("x-tenant-id"),
                        "description": .string("The restaurant the call is for."),
                    ]),
                    "userToken": .object([
                        "type": .string("http"), "scheme": .string("bearer"), "bearerFormat": .string("JWT"),
                        "description": .string("From POST /api/v1/auth/login, for the tenant in x-tenant-id."),
                    ]),
                    "opsToken": .object([
                        "type": .string("http"), "scheme": .string("bearer"),
                        "description": .string("The operator's token (BANYAN_OPS_TOKEN)."),
                    ]),
                ]),
            ]),
        ])
    }

    private static func json(_ operation: APIReference.Operation) -> JSONValue {
        var parameters: [JSONValue] = operation.pathParameters.map { name in
            .object([
                "name": .string(name), "in": .string("path"), "required": .bool(true),
                "schema": JSONSchema.string().json,
            ])
        }
        parameters += operation.query.map { query in
            .object([
                "name": .string(query.name), "in": .string("query"), "required": .bool(query.required),
                "description": .string(query.accepts), "schema": query.schema.json,
            ])
        }
        parameters += operation.headers.map { header in
            .object([
                "name": .string(header.name), "in": .string("header"), "required": .bool(header.required),
                "description": .string(header.description), "schema": JSONSchema.string().json,
            ])
        }
        var members: [String: JSONValue] = [
            "operationId": .string(operation.operationID),
            "summary": .string(operation.summary),
            "tags": .array([.string(operation.tag)]),
            "security": security(operation.access),
            "responses": .object(
                Dictionary(uniqueKeysWithValues: operation.responses.map { (String($0.status), json($0)) })),
        ]
        if !parameters.isEmpty { members["parameters"] = .array(parameters) }
        if let body = operation.requestBody {
            members["requestBody"] = .object([
                "required": .bool(body.required),
                "content": .object(["application/json": .object(["schema": body.schema.json])]),
            ])
        }
        return .object(members)
    }

    private static func json(_ response: APIReference.Response) -> JSONValue {
        var members: [String: JSONValue] = ["description": .string(response.description)]
        if let body = response.body {
            var schema = body.schema.json
            if !response.problemCodes.isEmpty, case .object(var narrowed) = schema {
                narrowed["properties"] = .object([
                    "code": .object(["enum": .array(response.problemCodes.map { .string($0) })])
                ])
                narrowed["description"] = .string("One of: " + response.problemCodes.joined(separator: ", "))
                schema = .object(narrowed)
            }
            members["content"] = .object([body.contentType: .object(["schema": schema])])
        }
        if !response.headers.isEmpty {
            members["headers"] = .object(
                Dictionary(
                    uniqueKeysWithValues: response.headers.map { header in
                        (
                            header.name,
                            JSONValue.object([
                                "description": .string(header.description), "schema": JSONSchema.string().json,
                            ])
                        )
                    }))
        }
        return .object(members)
    }

    /// The walls of an access level as security requirements: all of one entry must be met.
    private static func security(_ access: Route.Access) -> JSONValue {
        let schemes: [String] =
            switch access {
            case .anyone: []
            case .tenant: ["tenant"]
            case .user: ["tenant", "userToken"]
            case .operator: ["opsToken"]
            }
        guard !schemes.isEmpty else { return .array([]) }
        return .array([.object(Dictionary(uniqueKeysWithValues: schemes.map { ($0, .array([])) }))])
    }
}
