import HTTPServer
import Platform

/// Routes that share a path prefix, an access level and a place in the API
/// documentation, made from typed handlers:
///
///     let orders = RouteGroup("/api/v1/orders", access: .user)
///     orders.get("/{id}", summary: "One order", problems: [OrdersError.orderNotFound]) { context in
///         try facade.order(context.callContext, id: context.parameter("id"))  // → 200 JSON
///     }
///
/// A handler returns a `Codable` value (200 JSON) or a `ResponseGenerator`
/// (`Created`, `NoContent`, …); a handler given `body:` gets the decoded
/// body. Everything the documentation needs is taken from these
/// declarations here, once; the handler a request runs is only the typed
/// one wrapped by its encoding.
struct RouteGroup: Sendable {
    let prefix: String
    let access: Route.Access
    /// Where the group's routes are listed in the documentation: the prefix's last segment unless given.
    let tag: String
    /// Problems every route of the group can answer (a module's bulkhead, say).
    let problems: [Problem]

    init(_ prefix: String, access: Route.Access, tag: String? = nil, problems: [any ProblemConvertible] = []) {
        self.prefix = prefix
        self.access = access
        self.tag = tag ?? prefix.split(separator: "/").last.map(String.init) ?? "gateway"
        self.problems = problems.map(\.problem)
    }

    typealias Handler<Output> = @Sendable (inout RequestContext) throws -> Output
    typealias BodyHandler<Body, Output> = @Sendable (inout RequestContext, Body) throws -> Output

    func get<Output: Codable & Sendable>(
        _ path: String = "", summary: String, query: [any DocumentedQueryParameter] = [],
        problems: [any ProblemConvertible] = [], nonBlocking: Bool = false, _ handler: @escaping Handler<Output>
    ) -> Route {
        route("GET", path, summary, query, problems, nonBlocking, answers: [.json(200, Output.self)]) {
            try JSONCoding.response(try handler(&$0))
        }
    }

    func get<Output: ResponseGenerator>(
        _ path: String = "", summary: String, query: [any DocumentedQueryParameter] = [],
        problems: [any ProblemConvertible] = [], nonBlocking: Bool = false, _ handler: @escaping Handler<Output>
    ) -> Route {
        route("GET", path, summary, query, problems, nonBlocking, answers: Output.responses) {
            try handler(&$0).response()
        }
    }

    /// A POST without a body (an action on the resource the path names).
    func post<Output: Codable & Sendable>(
        _ path: String = "", summary: String, problems: [any ProblemConvertible] = [],
        _ handler: @escaping Handler<Output>
    ) -> Route {
        route("POST", path, summary, [], problems, false, answers: [.json(200, Output.self)]) {
            try JSONCoding.response(try handler(&$0))
        }
    }

    func post<Body: Decodable & Sendable, Output: Codable & Sendable>(
        _ path: String = "", summary: String, body: Body.Type, whenEmpty: Body? = nil,
        headers: [HeaderDocumentation] = [], problems: [any ProblemConvertible] = [],
        _ handler: @escaping BodyHandler<Body, Output>
    ) -> Route {
        route("POST", path, summary, body, whenEmpty, headers, problems, answers: [.json(200, Output.self)]) {
            try JSONCoding.response(try handler(&$0, $1))
        }
    }

    func post<Body: Decodable & Sendable, Output: ResponseGenerator>(
        _ path: String = "", summary: String, body: Body.Type, headers: [HeaderDocumentation] = [],
        problems: [any ProblemConvertible] = [], _ handler: @escaping BodyHandler<Body, Output>
    ) -> Route {
        route("POST", path, summary, body, nil, headers, problems, answers: Output.responses) {
            try handler(&$0, $1).response()
        }
    }

    func put<Body: Decodable & Sendable, Output: Codable & Sendable>(
        _ path: String = "", summary: String, body: Body.Type, headers: [HeaderDocumentation] = [],
        problems: [any ProblemConvertible] = [], _ handler: @escaping BodyHandler<Body, Output>
    ) -> Route {
        route("PUT", path, summary, body, nil, headers, problems, answers: [.json(200, Output.self)]) {
            try JSONCoding.response(try handler(&$0, $1))
        }
    }

    func patch<Body: Decodable & Sendable, Output: Codable & Sendable>(
        _ path: String = "", summary: String, body: Body.Type, problems: [any ProblemConvertible] = [],
        _ handler: @escaping BodyHandler<Body, Output>
    ) -> Route {
        route("PATCH", path, summary, body, nil, [], problems, answers: [.json(200, Output.self)]) {
            try JSONCoding.response(try handler(&$0, $1))
        }
    }

    func delete<Output: ResponseGenerator>(
        _ path: String = "", summary: String, problems: [any ProblemConvertible] = [],
        _ handler: @escaping Handler<Output>
    ) -> Route {
        route("DELETE", path, summary, [], problems, false, answers: Output.responses) { try handler(&$0).response() }
    }

    /// A route whose handler gets the decoded body: `whenEmpty` stands in for an empty one (the body is optional).
    private func route<Body: Decodable & Sendable>(
        _ method: String, _ path: String, _ summary: String, _ body: Body.Type, _ whenEmpty: Body?,
        _ headers: [HeaderDocumentation], _ problems: [any ProblemConvertible], answers: [ResponseDocumentation],
        _ respond: @escaping @Sendable (inout RequestContext, Body) throws -> HTTPResponse
    ) -> Route {
        var documentation = documentation(summary, problems.map(\.problem) + PipelineProblems.body, false, answers)
        documentation.requestBody = .init(schema: WireSchema(body), required: whenEmpty == nil)
        documentation.headers = headers
        return Route(method, prefix + path, access: access, nonBlocking: false, documentation: documentation) {
            context in
            if let whenEmpty, context.request.body.isEmpty { return try respond(&context, whenEmpty) }
            return try respond(&context, try context.decode(Body.self))
        }
    }

    private func route(
        _ method: String, _ path: String, _ summary: String, _ query: [any DocumentedQueryParameter],
        _ problems: [any ProblemConvertible], _ nonBlocking: Bool, answers: [ResponseDocumentation],
        _ respond: @escaping Route.Handler
    ) -> Route {
        var problems = problems.map(\.problem)
        if !query.isEmpty { problems.append(PipelineProblems.invalidQuery) }
        var documentation = documentation(summary, problems, nonBlocking, answers)
        documentation.query = query.map(\.documentation)
        return Route(
            method, prefix + path, access: access, nonBlocking: nonBlocking, documentation: documentation,
            handler: respond)
    }

    /// The route's own problems, the group's, and those the pipeline answers for it.
    private func documentation(
        _ summary: String, _ problems: [Problem], _ nonBlocking: Bool, _ answers: [ResponseDocumentation]
    ) -> RouteDocumentation {
        // A route that never blocks never touches the database either.
        let pipeline = PipelineProblems.walls(access) + (nonBlocking ? [] : [PipelineProblems.databaseUnavailable])
        return RouteDocumentation(
            summary: summary, tag: tag, responses: answers,
            problems: problems + self.problems + pipeline + PipelineProblems.server + [PipelineProblems.internalError])
    }
}

/// A `QueryParameter` of any value type, for a route's list of them.
protocol DocumentedQueryParameter: Sendable {
    var documentation: QueryParameterDocumentation { get }
}

extension QueryParameter: DocumentedQueryParameter {}
