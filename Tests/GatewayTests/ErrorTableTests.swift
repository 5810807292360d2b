import Foundation
import Testing

@testable import Gateway

/// The error table (`ProblemCatalog`, rendered by `ErrorTable`) names every
/// code the system can answer, and docs/errors.md is exactly what it renders.
///
/// `BANYAN_WRITE_DOCS=1 ./scripts/test --filter ErrorTableTests` rewrites
/// docs/errors.md instead of failing on a stale one.
@Suite struct ErrorTableTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private static var catalogued: [String: ProblemCode] {
        Dictionary(uniqueKeysWithValues: ProblemCatalog.codes.map { ($0.code, $0) })
    }

    @Test func everyModuleErrorKindHasAMeaning() {
        #expect(!ProblemCatalog.moduleKinds.isEmpty)
        for kind in ProblemCatalog.moduleKinds {
            #expect(
                !(ProblemCatalog.meanings[kind.code] ?? "").isEmpty,
                "\(kind.module) answers \(kind.code) but ProblemCatalog.meanings does not say what it means")
        }
        for entry in ProblemCatalog.codes {
            #expect(!entry.meaning.isEmpty, "\(entry.code) has no meaning")
        }
    }

    /// Every problem code written in the sources, outside the modules' kind
    /// lists, is in the catalog with the status it is sent with.
    @Test func everyCodeInTheSourcesIsCatalogued() throws {
        let found = try ProblemLiterals.scan(root: Self.root)
        #expect(found.count > 30, "the scan finds the codes it should: \(found.count)")
        let catalogued = Self.catalogued
        for literal in found {
            guard let entry = catalogued[literal.code] else {
                Issue.record("\(literal.file) answers \(literal.code), which ProblemCatalog.edge does not list")
                continue
            }
            if let status = literal.status {
                #expect(entry.status == status, "\(literal.file) sends \(literal.code) as \(status), the table says \(entry.status)")
            }
        }
        // And nothing listed is answered nowhere (a code renamed, its entry left behind).
        let answered = Set(found.map(\.code)).union(ProblemCatalog.moduleKinds.map(\.code))
        for entry in ProblemCatalog.edge {
            #expect(answered.contains(entry.code), "ProblemCatalog.edge lists \(entry.code), which nothing answers")
        }
    }

    /// The codes issue 13 named as missing from the old hand-written list.
    @Test func theCodesUsersMeetFirstAreThere() {
        let catalogued = Self.catalogued
        for (code, status) in [
            ("invalid_credentials", 401), ("tenant_exists", 409), ("username_taken", 409),
            ("unsupported_media_type", 415), ("menu_item_exists", 409), ("out_of_stock", 409),
        ] {
            #expect(catalogued[code]?.status == status, "\(code)")
        }
    }

    @Test func docsErrorsMarkdownIsWhatTheCatalogRenders() throws {
        let file = Self.root.appendingPathComponent("docs/errors.md")
        let rendered = ErrorTable.markdown
        if ProcessInfo.processInfo.environment["BANYAN_WRITE_DOCS"] == "1" {
            try Data(rendered.utf8).write(to: file)
        }
        let stored = try String(contentsOf: file, encoding: .utf8)
        #expect(stored == rendered, "docs/errors.md is stale: run \(ErrorTable.regenerate)")
        for entry in ProblemCatalog.codes { #expect(stored.contains("| `\(entry.code)` | \(entry.status) ")) }
    }

    @Test func theTableIsServedAndLinkedFromTheReference() throws {
        let app = try TestGateway()
        let page = try app.call("GET", "/docs/errors")
        #expect(page.status == 200)
        #expect(page.header("content-type") == "text/html; charset=utf-8")
        let html = String(decoding: page.body, as: UTF8.self)
        for entry in ProblemCatalog.codes {
            #expect(html.contains("<tr id=\"\(entry.code)\"><td><code>\(entry.code)</code></td><td>\(entry.status) "))
        }
        #expect(!html.lowercased().contains("<script"))
        let reference = String(decoding: try app.call("GET", "/docs").body, as: UTF8.self)
        #expect(reference.contains("<a href=\"/docs/errors\">"))
    }
}

/// Problem codes as the sources write them: `code: "…"` (with the
/// `status:` before it when there is one), `.badRequest("…"` and the
/// other status helpers of `Problem`, a `static let code = "…"` of a
/// platform error, and a `LoginRefusal("…"`.
struct ProblemLiterals {
    struct Found: Hashable {
        var code: String
        var status: Int?
        var file: String
    }

    private static let helpers = [
        "badRequest": 400, "unauthorized": 401, "forbidden": 403, "notFound": 404, "conflict": 409,
        "unprocessable": 422, "unavailable": 503,
    ]
    private static let code = #""([a-z]+(?:_[a-z]+)*)""#

    static func scan(root: URL) throws -> [Found] {
        var found: Set<Found> = []
        for directory in ["Modules", "Gateway", "Services"] {
            let base = root.appendingPathComponent(directory)
            guard let files = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in files where url.pathExtension == "swift" {
                let text = try String(contentsOf: url, encoding: .utf8)
                let file = String(url.path.dropFirst(root.path.count + 1))
                found.formUnion(try literals(in: text).map { Found(code: $0.0, status: $0.1, file: file) })
            }
        }
        return found.sorted { ($0.code, $0.file) < ($1.code, $1.file) }
    }

    private static func literals(in text: String) throws -> [(String, Int?)] {
        var out: [(String, Int?)] = []
        let whole = NSRange(text.startIndex..., in: text)
        func groups(_ pattern: String) throws -> [[String]] {
            try NSRegularExpression(pattern: pattern).matches(in: text, range: whole).map { match in
                (0..<match.numberOfRanges).map { index in
                    Range(match.range(at: index), in: text).map { String(text[$0]) } ?? ""
                }
            }
        }
        for match in try groups(#"(?:status:\s*(\d{3}),\s*)?code:\s*"# + code) {
            out.append((match[2], Int(match[1])))
        }
        for match in try groups(#"\.(\w+)\(\s*"# + code) {
            if let status = helpers[match[1]] { out.append((match[2], status)) }
        }
        for match in try groups(#"static let code = "# + code) { out.append((match[1], nil)) }
        for match in try groups(#"LoginRefusal\(\s*"# + code) { out.append((match[1], 429)) }
        return out
    }
}
