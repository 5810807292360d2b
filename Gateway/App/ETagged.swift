import HTTPServer

/// 200 with a JSON body and, when there is one, an `ETag`: the version a
/// client sends back in `If-Match` to change what it read (`GET /admin/flags`).
struct ETagged<Body: Codable & Sendable>: ResponseGenerator {
    let body: Body
    /// The entity tag, quotes included (`"sha256:…"`); nil sends no `ETag`.
    let etag: String?

    static var responses: [ResponseDocumentation] {
        [
            .json(
                200, Body.self,
                headers: [(name: "ETag", description: "The version of what was read, for If-Match; absent when there is none")])
        ]
    }

    func response() throws -> HTTPResponse {
        var response = try JSONCoding.response(body)
        if let etag { response.headers.add("etag", etag) }
        return response
    }
}
