import Foundation
import Platform
import Testing

@testable import Flags

/// flags.schema.json and the parser agree about `rollout`: the schema itself
/// (run by `SchemaSubset`) judges each sample as the parser does.
@Suite("flags.schema.json: rollout")
struct RolloutSchemaTests {
    let schema: [String: Any]

    init() throws {
        let url = FlagsParserTests.repositoryRoot.appendingPathComponent("flags.schema.json")
        schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// `modules.payments` entries; each is judged inside a document that has
    /// the payments URL, so the one rule the schema cannot say stays out of it.
    static let entries = [
        #"{"default": "in-process", "rollout": {"service": 10}}"#,
        #"{"default": "in-process", "rollout": {"service": 0}}"#,
        #"{"default": "in-process", "rollout": {"service": 100}}"#,
        #"{"default": "service", "rollout": {"in-process": 30}}"#,
        #"{"rollout": {"in-process": 30}, "default": "service"}"#,
        #"{"default": "in-process", "tenants": {"demo-cafe": "in-process"}, "rollout": {"service": 10}}"#,
        #"{"default": "in-process"}"#,
        #"{"default": "in-process", "rollout": {"in-process": 10}}"#,
        #"{"default": "service", "rollout": {"service": 10}}"#,
        #"{"rollout": {"service": 10}, "default": "service"}"#,
        #"{"rollout": {"service": 10}}"#,
        #"{"default": "in-process", "rollout": {}}"#,
        #"{"default": "in-process", "rollout": {"service": 10, "in-process": 10}}"#,
        #"{"default": "in-process", "rollout": {"servce": 10}}"#,
        #"{"default": "in-process", "rollout": {"service": 101}}"#,
        #"{"default": "in-process", "rollout": {"service": -1}}"#,
        #"{"default": "in-process", "rollout": {"service": "10"}}"#,
        #"{"default": "in-process", "rollout": {"service": true}}"#,
        #"{"default": "in-process", "rollout": {"service": null}}"#,
        #"{"default": "in-process", "rollout": 10}"#,
        #"{"default": "in-process", "rollout": [10]}"#,
        #"{"default": "in-process", "rollout": {"service": {"percent": 10}}}"#,
        #"{"default": "in-process", "rollout": {"service": 10}, "cohort": 1}"#,
        // The shadow home, fallback and breaker.
        #"{"default": "in-process", "rollout": {"shadow": 10}}"#,
        #"{"default": "shadow", "rollout": {"service": 10}}"#,
        #"{"default": "shadow", "rollout": {"shadow": 10}}"#,
        #"{"default": "service", "tenants": {"demo-cafe": "shadow"}, "fallback": "in-process"}"#,
        #"{"default": "service", "fallback": "service"}"#,
        #"{"default": "service", "breaker": {"failures": 3, "error_rate": 20, "window_seconds": 60, "minimum_calls": 5, "open_seconds": 5, "auto_rollback_after_seconds": 600}}"#,
        #"{"default": "service", "breaker": {}}"#,
        #"{"default": "service", "breaker": {"failures": 0}}"#,
        #"{"default": "service", "breaker": {"error_rate": 101}}"#,
        #"{"default": "service", "breaker": {"failure": 3}}"#,
        #"{"default": "service", "breaker": {"open_seconds": "5"}}"#,
    ]

    @Test("the schema accepts exactly the module entries the parser accepts", arguments: entries)
    func agrees(_ entry: String) throws {
        let text = #"{"services": {"payments": "http://127.0.0.1:4004"}, "modules": {"payments": \#(entry)}}"#
        let parserAccepts = (try? FlagsParser.parse(Array(text.utf8), source: "x")) != nil
        let document = try StrictJSON.parse(Array(text.utf8), limits: .init(maximumDepth: 32))
        #expect(try SchemaSubset(root: schema).accepts(document) == parserAccepts, "parser accepts: \(parserAccepts)")
    }

    @Test("the rollout's keys are the routes and its bounds the parser's")
    func rolloutDefinition() throws {
        let definitions = try #require(schema["$defs"] as? [String: Any])
        let routing = try #require(definitions["moduleRouting"] as? [String: Any])
        let properties = try #require(routing["properties"] as? [String: Any])
        #expect((properties["rollout"] as? [String: Any])?["$ref"] as? String == "#/$defs/rollout")
        let rollout = try #require(definitions["rollout"] as? [String: Any])
        #expect((rollout["propertyNames"] as? [String: Any])?["$ref"] as? String == "#/$defs/route")
        let percentage = try #require(rollout["additionalProperties"] as? [String: Any])
        #expect(percentage["type"] as? String == "integer")
        #expect((percentage["minimum"] as? NSNumber)?.intValue == FlagsParser.rolloutPercentages.lowerBound)
        #expect((percentage["maximum"] as? NSNumber)?.intValue == FlagsParser.rolloutPercentages.upperBound)
        // The bucket rule operators read in their editor is the one the code uses.
        let description = try #require(rollout["description"] as? String)
        #expect(description.contains("64-bit FNV-1a"))
        #expect(description.contains("\"<module>/<tenant>\", modulo 100"))
    }

    @Test("the subset validator is not a yes-machine: it accepts the shipped flags.json and refuses broken ones")
    func validatorJudges() throws {
        let validator = SchemaSubset(root: schema)
        let shipped = try [UInt8](Data(contentsOf: FlagsParserTests.repositoryRoot.appendingPathComponent("flags.json")))
        #expect(try validator.accepts(StrictJSON.parse(shipped, limits: .init(maximumDepth: 32))))
        for broken in [
            #"{"modules": {"payments": {"default": "remote"}}}"#, #"{"services": {"payments": "ftp://h"}}"#,
            #"{"modules": {"Payments": {"default": "service"}}}"#, #"{"extra": {}}"#,
        ] {
            #expect(try !validator.accepts(StrictJSON.parse(Array(broken.utf8), limits: .init(maximumDepth: 32))), "\(broken)")
        }
    }
}
