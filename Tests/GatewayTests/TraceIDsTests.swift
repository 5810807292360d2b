import Foundation
import HTTPServer
import Testing

@testable import Gateway

/// The ids the gateway starts traces with: well-formed, and never repeated.
@Suite struct TraceIDsTests {
    @Test func tenThousandTracesAreDistinctAndParseBack() throws {
        let ids = TraceIDs()
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let trace = ids.next()
            let text = trace.description
            #expect(TraceParent(text)?.description == text, "\(text) parses back")
            seen.insert(String(text.split(separator: "-")[1]))
        }
        #expect(seen.count == 10_000)
        // Another generator (another gateway) starts from another seed.
        #expect(!seen.contains(String(TraceIDs().next().description.split(separator: "-")[1])))
    }
}
