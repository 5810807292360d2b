import Foundation
import Platform

/// The error table, rendered from `ProblemCatalog`: as Markdown for
/// `docs/errors.md` (which `ErrorTableTests` keeps byte-for-byte equal to
/// `markdown`) and as the HTML page at `/docs/errors`.
enum ErrorTable {
    /// The command that rewrites docs/errors.md from the catalog.
    static let regenerate = "BANYAN_WRITE_DOCS=1 ./scripts/test --filter ErrorTableTests"

    static var markdown: String {
        var out = """
            # Problem codes

            <!-- Generated from the error kit (Gateway/App/ProblemCatalog.swift); do not edit by hand. \
            Rewrite it with: \(regenerate) -->

            Every error Banyan answers is `application/problem+json` (RFC 9457) with a stable `code` \
            that clients may switch on; `detail` is for people and may change. This is every code, \
            with its HTTP status and meaning. The same table is served at `/docs/errors`.

            | Code | Status | Answered by | Meaning |
            |---|---|---|---|

            """
        for entry in ProblemCatalog.codes {
            let meaning = entry.meaning.replacingOccurrences(of: "|", with: "\\|")
            out += "| `\(entry.code)` | \(entry.status) \(Problem.reasonPhrase(entry.status)) | "
            out += "\(answeredBy(entry)) | \(meaning) |\n"
        }
        return out
    }

    static var html: String {
        var page = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Banyan problem codes</title>
            <style>\(style)</style>
            </head><body><main>
            <h1>Problem codes</h1>
            <p>Every error is <code>application/problem+json</code> (RFC 9457) with a stable <code>code</code>
            that clients may switch on; <code>detail</code> is for people and may change.
            Back to the <a href="/docs">API reference</a>.</p>
            <table><thead><tr><th>Code</th><th>Status</th><th>Answered by</th><th>Meaning</th></tr></thead><tbody>

            """
        for entry in ProblemCatalog.codes {
            page += "<tr id=\"\(escape(entry.code))\"><td><code>\(escape(entry.code))</code></td>"
            page += "<td>\(entry.status) \(escape(Problem.reasonPhrase(entry.status)))</td>"
            page += "<td>\(escape(answeredBy(entry)))</td><td>\(inlineCode(escape(entry.meaning)))</td></tr>\n"
        }
        page += "</tbody></table></main></body></html>\n"
        return page
    }

    private static func answeredBy(_ entry: ProblemCode) -> String {
        var seen = Set<String>()
        return entry.answeredBy.filter { seen.insert($0).inserted }.joined(separator: ", ")
    }

    private static func escape(_ text: String) -> String { APIReferencePage.escape(text) }

    /// `name` in a meaning becomes <code>name</code>.
    private static func inlineCode(_ text: String) -> String {
        var out = ""
        var open = false
        for character in text {
            if character == "`" {
                out += open ? "</code>" : "<code>"
                open.toggle()
            } else {
                out.append(character)
            }
        }
        return open ? out + "</code>" : out
    }

    private static let style = """
        body{font-family:system-ui,sans-serif;margin:2rem;color:#222}main{max-width:70rem}\
        table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;\
        text-align:left;vertical-align:top}code{font-size:.95em}
        """
}
