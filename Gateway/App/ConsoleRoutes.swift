import HTTPServer
import Platform

/// `GET /admin/console`: the migration console (`ConsolePage`). The page is
/// served to anyone because it holds nothing: a browser cannot send the ops
/// token on a navigation, so the page asks for it and sends it on every
/// admin call it makes, each of which requires it.
enum ConsoleRoutes {
    static func routes() -> [Route] {
        let page = HTMLPage(Array(ConsolePage.html.utf8))
        return [
            RouteGroup("/admin", access: .anyone, tag: "console").get(
                "/console", summary: "The migration console: one offline page over the admin API (ops token)",
                nonBlocking: true
            ) { _ in page }
        ]
    }
}
