/// `GET /docs`: the API reference as one self-contained HTML page, written
/// on the server from the same reference as `/openapi.json` — no script,
/// no stylesheet or font from elsewhere, so it reads the same offline.
enum APIReferencePage {
    static func html(_ reference: APIReference) -> String {
        var page = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Banyan API</title>
            <style>\(style)</style>
            </head><body><main>
            <h1>Banyan API <small>\(escape(HealthRoutes.version))</small></h1>
            <p>Every <code>/api/v1</code> call names its restaurant in <code>x-tenant-id</code> and, but for
            login, carries a user's token as <code>Authorization: Bearer</code>. Errors are
            <code>application/problem+json</code> with a stable <code>code</code>
            (<a href="#schema-ProblemDetails">ProblemDetails</a>). The same reference as OpenAPI 3.1:
            <a href="/openapi.json">/openapi.json</a>. Every problem code, its status and meaning:
            <a href="/docs/errors">/docs/errors</a>.</p>
            """
        page += "<nav><h2>Endpoints</h2><ul>"
        for operation in reference.operations {
            let link = "<a href=\"#\(operation.operationID)\">\(title(operation))</a>"
            page += "<li>\(link) \(escape(operation.summary))</li>"
        }
        page += "</ul></nav>"
        for tag in reference.tags {
            page += "<h2>\(escape(tag))</h2>"
            for operation in reference.operations where operation.tag == tag { page += section(operation) }
        }
        page += "<h2>Schemas</h2>"
        for (name, schema) in reference.components.sorted(by: { $0.key < $1.key }) {
            page += "<section id=\"schema-\(escape(name))\"><h3>\(escape(name))</h3>\(schemaTable(schema))</section>"
        }
        return page + "</main></body></html>\n"
    }

    private static func section(_ operation: APIReference.Operation) -> String {
        var out = """
            <section class="operation" id="\(operation.operationID)">
            <h3>\(title(operation))</h3>
            <p>\(escape(operation.summary)). <em>\(access(operation.access))</em></p>
            """
        var rows = operation.pathParameters.map { row(code($0), "path", "string", "yes", "") }
        rows += operation.query.map {
            row(code($0.name), "query", type($0.schema), $0.required ? "yes" : "no", escape($0.accepts))
        }
        rows += operation.headers.map {
            row(code($0.name), "header", "string", $0.required ? "yes" : "no", escape($0.description))
        }
        if !rows.isEmpty {
            out += "<h4>Parameters</h4>" + table(["name", "in", "type", "required", ""], rows)
        }
        if let body = operation.requestBody {
            out += "<h4>Body\(body.required ? "" : " (optional)")</h4><p>application/json: \(type(body.schema))</p>"
        }
        let responses = operation.responses.map { response in
            let body = response.body.map { "\(escape($0.contentType)): \(type($0.schema))" } ?? "none"
            var meaning =
                response.problemCodes.isEmpty
                ? escape(response.description) : response.problemCodes.map(code).joined(separator: ", ")
            for header in response.headers { meaning += "<br>\(code(header.name)): \(escape(header.description))" }
            return row(String(response.status), body, meaning)
        }
        return out + "<h4>Responses</h4>" + table(["status", "body", "meaning"], responses) + "</section>"
    }

    /// An object's members, one row each; any other schema in one line.
    private static func schemaTable(_ schema: JSONSchema) -> String {
        guard case .object(let properties) = schema else { return "<p>\(type(schema))</p>" }
        let rows = properties.map { row(code($0.name), type($0.schema), $0.required ? "yes" : "no") }
        return table(["field", "type", "required"], rows)
    }

    /// A schema in a few words, components linked.
    private static func type(_ schema: JSONSchema) -> String {
        switch schema {
        case .string(let format): format.map { "string (\(escape($0)))" } ?? "string"
        case .integer(_, let minimum, let maximum):
            switch (minimum, maximum) {
            case (let low?, let high?): "integer, \(low) to \(high)"
            case (let low?, nil): "integer, \(low) or more"
            default: "integer"
            }
        case .number: "number"
        case .boolean: "boolean"
        case .any: "any JSON"
        case .array(let items): "array of \(type(items))"
        case .dictionary(let values): "object of \(type(values))"
        case .object(let properties):
            "object {" + properties.map { escape($0.name) + ($0.required ? "" : "?") }.joined(separator: ", ") + "}"
        case .enumeration(let values): "one of " + values.map(code).joined(separator: ", ")
        case .reference(let name): "<a href=\"#schema-\(escape(name))\">\(escape(name))</a>"
        case .nullable(let wrapped): "\(type(wrapped)) or null"
        }
    }

    /// `GET /api/v1/orders`, the method as a coloured badge.
    private static func title(_ operation: APIReference.Operation) -> String {
        let method = "<span class=\"method \(operation.method.lowercased())\">\(operation.method)</span>"
        return "\(method) \(code(operation.path))"
    }

    private static func table(_ headings: [String], _ rows: [String]) -> String {
        "<table><tr>" + headings.map { "<th>\($0)</th>" }.joined() + "</tr>" + rows.joined() + "</table>"
    }

    /// Cells are HTML already.
    private static func row(_ cells: String...) -> String {
        "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>"
    }

    private static func code(_ text: String) -> String { "<code>\(escape(text))</code>" }

    private static func access(_ access: Route.Access) -> String {
        switch access {
        case .anyone: "Anyone."
        case .tenant: "Needs x-tenant-id."
        case .user: "Needs x-tenant-id and a user token."
        case .operator: "Needs the ops token."
        }
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    private static let style = """
        body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2327;background:#fafafa}
        main{max-width:960px;margin:0 auto;padding:1rem 1.5rem 4rem}
        h2{border-bottom:1px solid #ccc;margin-top:2.5rem}
        h1 small{font-size:.5em;color:#666}
        code{font-family:ui-monospace,monospace;font-size:.92em}
        nav ul{list-style:none;padding:0;columns:2}
        nav li{break-inside:avoid;margin:.2rem 0}
        section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.2rem 1rem .8rem;margin:1rem 0}
        table{border-collapse:collapse;width:100%;margin:.3rem 0}
        th,td{text-align:left;border-bottom:1px solid #eee;padding:.25rem .5rem;vertical-align:top}
        th{font-weight:600;color:#555}
        .method{display:inline-block;min-width:4.2em;font:600 .8em ui-monospace,monospace;padding:.1em .4em;
        border-radius:4px;color:#fff;background:#555;text-align:center}
        .get{background:#2f6f9f}.post{background:#3f7f3f}.put{background:#8a6d1f}
        .patch{background:#7a4f9f}.delete{background:#a33}
        """
}
