import Flags
import FlagsControl
import Foundation
import Testing

/// The canonical layout: the shipped file survives a round trip byte for
/// byte, and whatever is written parses back to the same routing.
@Suite("FlagsDocument layout")
struct LayoutTests {
    @Test("the shipped flags.json, parsed and written again, is the same bytes")
    func shippedRoundTrip() throws {
        let shipped = try Array(Data(contentsOf: repositoryFile("flags.json")))
        let document = try FlagsDocument(parsing: shipped)
        #expect(String(decoding: document.bytes, as: UTF8.self) == String(decoding: shipped, as: UTF8.self))
        #expect(document.bytes == shipped)
    }

    @Test("the order of services, modules and tenants is the file's, whatever it is")
    func keepsOrder() throws {
        let text = """
            {
              "services": {
                "orders": "http://127.0.0.1:4002",
                "auth": "http://127.0.0.1:4001"
              },
              "modules": {
                "orders": { "default": "in-process", "tenants": { "zz-last": "service", "aa-first": "service" } },
                "auth": { "default": "service", "tenants": {}, "rollout": { "in-process": 25 } }
              }
            }

            """
        let document = try FlagsDocument(parsing: Array(text.utf8))
        #expect(document.services.map(\.module) == ["orders", "auth"])
        #expect(document.modules.map(\.name) == ["orders", "auth"])
        #expect(document.module("orders")?.tenants.map(\.tenant) == ["zz-last", "aa-first"])
        #expect(String(decoding: document.bytes, as: UTF8.self) == text)
    }

    @Test("a file in another layout is rewritten in the canonical one, with the same routing")
    func normalizes() throws {
        let text = #"{"modules":{"payments":{"rollout":{"service":10},"default":"in-process"}},"services":{"payments":"http://127.0.0.1:4004"}}"#
        let document = try FlagsDocument(parsing: Array(text.utf8))
        let expected = """
            {
              "services": {
                "payments": "http://127.0.0.1:4004"
              },
              "modules": {
                "payments": { "default": "in-process", "tenants": {}, "rollout": { "service": 10 } }
              }
            }

            """
        #expect(String(decoding: document.bytes, as: UTF8.self) == expected)
        let reparsed = try FlagsParser.parse(document.bytes, source: "test")
        let original = try FlagsParser.parse(Array(text.utf8), source: "test")
        #expect(reparsed.services == original.services)
        #expect(reparsed.modules == original.modules)
    }

    @Test("an empty document is written as empty objects and parses")
    func empty() throws {
        let document = try FlagsDocument(parsing: Array("{}".utf8))
        #expect(String(decoding: document.bytes, as: UTF8.self) == "{\n  \"services\": {},\n  \"modules\": {}\n}\n")
        let snapshot = try FlagsParser.parse(document.bytes, source: "test")
        #expect(snapshot.modules.isEmpty && snapshot.services.isEmpty)
    }

    @Test("generated documents always parse back to the routing they were made from")
    func generatedRoundTrip() throws {
        var generator = SplitMix(seed: 7)
        for _ in 0..<300 {
            let snapshot = randomSnapshot(&generator)
            let bytes = FlagsDocument(snapshot: snapshot).bytes
            let parsed = try FlagsParser.parse(bytes, source: "test")
            #expect(parsed.services == snapshot.services)
            #expect(parsed.modules == snapshot.modules)
            // Written twice, the same bytes: nothing depends on dictionary order.
            #expect(try FlagsDocument(parsing: bytes).bytes == bytes)
        }
    }
}

/// A whole document sent without key order (a PUT's JSON) keeps the file's.
@Suite("FlagsDocument ordered like another")
struct OrderedLikeTests {
    @Test("the shipped file, sorted, then ordered like itself, is the same bytes")
    func sortedBackToTheFilesOrder() throws {
        let shipped = try Array(Data(contentsOf: repositoryFile("flags.json")))
        let document = try FlagsDocument(parsing: shipped)
        let sorted = FlagsDocument(snapshot: document.snapshot)
        #expect(sorted.bytes != shipped, "the shipped file is not in sorted order, or this proves nothing")
        #expect(sorted.ordered(like: document).bytes == shipped)
    }

    @Test("an edited document in sorted order differs from the file only in the edited line, new entries last")
    func onlyTheEditedLineMoves() throws {
        let shipped = try Array(Data(contentsOf: repositoryFile("flags.json")))
        let document = try FlagsDocument(parsing: shipped)
        var edited = FlagsDocument(snapshot: document.snapshot)
        let index = try #require(edited.modules.firstIndex { $0.name == "payments" })
        edited.modules[index].tenants.insert((tenant: "aaa-new", route: .service), at: 0)
        let lines = String(decoding: edited.ordered(like: document).bytes, as: UTF8.self).split(separator: "\n")
        let before = String(decoding: shipped, as: UTF8.self).split(separator: "\n")
        let differing = zip(before, lines).filter { $0.0 != $0.1 }
        #expect(lines.count == before.count)
        #expect(differing.count == 1, "\(differing)")
        #expect(differing.first?.1.hasSuffix(#""demo-diner": "service", "aaa-new": "service" } },"#) == true, "\(differing)")
    }
}
