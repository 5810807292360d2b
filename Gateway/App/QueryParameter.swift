import HTTPServer
import Platform

/// A query parameter a route reads: one value both parses it and documents
/// it, so `/openapi.json` says exactly what the handler accepts. Anything
/// else is 400 `invalid_query` naming the parameter, the same on every route.
///
///     static let limit = QueryParameter.int("limit", in: 1...200, default: 50)
///     group.get(summary: "…", query: [limit]) { context in try context.query(limit) … }
struct QueryParameter<Value: Sendable>: Sendable {
    let name: String
    /// What it accepts, in words: "an integer from 1 to 200".
    let accepts: String
    let schema: JSONSchema
    /// The value when the parameter is absent; nil when it must be given.
    private let absent: Value?
    private let parse: @Sendable (String) -> Value?

    fileprivate init(
        _ name: String, accepts: String, schema: JSONSchema, absent: Value?,
        parse: @escaping @Sendable (String) -> Value?
    ) {
        self.name = name
        self.accepts = accepts
        self.schema = schema
        self.absent = absent
        self.parse = parse
    }

    /// The parameter's value in `request`, its default when absent.
    func value(in request: HTTPRequest) throws(Problem) -> Value {
        guard let text = request.queryParameters[name] else {
            guard let absent else { throw invalid("is required: \(accepts)") }
            return absent
        }
        guard let value = parse(text) else { throw invalid("must be \(accepts)") }
        return value
    }

    private func invalid(_ reason: String) -> Problem {
        Problem(
            status: PipelineProblems.invalidQuery.status, code: PipelineProblems.invalidQuery.code,
            detail: "\(name): \(reason)", extensions: ["parameter": .string(name)])
    }

    var documentation: QueryParameterDocumentation {
        QueryParameterDocumentation(name: name, required: absent == nil, accepts: accepts, schema: schema)
    }
}

/// A query parameter as the API documentation shows it.
struct QueryParameterDocumentation: Sendable {
    let name: String
    let required: Bool
    let accepts: String
    let schema: JSONSchema
}

extension QueryParameter where Value == Int {
    static func int(_ name: String, in range: ClosedRange<Int>, default value: Int) -> QueryParameter<Int> {
        let accepts =
            range.upperBound == .max
            ? "an integer, \(range.lowerBound) or more" : "an integer from \(range.lowerBound) to \(range.upperBound)"
        return QueryParameter(
            name, accepts: accepts,
            schema: .integer(
                format: "int64", minimum: range.lowerBound, maximum: range.upperBound == .max ? nil : range.upperBound),
            absent: value, parse: { Int($0).flatMap { range.contains($0) ? $0 : nil } })
    }
}

extension QueryParameter where Value == Bool {
    /// Absent is false; `true`/`1` and a bare `?name` are true, `false`/`0` false.
    static func bool(_ name: String) -> QueryParameter<Bool> {
        QueryParameter(
            name, accepts: "true or false", schema: .boolean, absent: false,
            parse: {
                switch $0 {
                case "true", "1", "": true
                case "false", "0": false
                default: nil
                }
            })
    }
}

extension QueryParameter where Value == String {
    /// A text the route cannot do without (`order_id`); empty counts as absent.
    static func string(_ name: String) -> QueryParameter<String> {
        QueryParameter(
            name, accepts: "a non-empty string", schema: .string(), absent: nil, parse: { $0.isEmpty ? nil : $0 })
    }
}

extension QueryParameter where Value == String? {
    /// A text that narrows what the route answers (`module`); nil when absent, never empty.
    static func optionalString(_ name: String) -> QueryParameter<String?> {
        QueryParameter(
            name, accepts: "a non-empty string", schema: .string(), absent: .some(nil),
            parse: { $0.isEmpty ? nil : .some($0) })
    }
}

extension QueryParameter where Value == String? {
    /// A flags.json version or a prefix of one (`sha256:` and 8 to 64
    /// lower-case hex digits), as `git` takes a short commit; nil when absent.
    static func flagsVersionPrefix(_ name: String) -> QueryParameter<String?> {
        QueryParameter(
            name, accepts: "a flags version or its prefix: sha256: and 8 to 64 lower-case hex digits",
            schema: .string(), absent: .some(nil),
            parse: { text in
                guard text.hasPrefix("sha256:") else { return nil }
                let digits = text.dropFirst("sha256:".count)
                guard (8...64).contains(digits.count), digits.allSatisfy({ $0.isHexDigit && !$0.isUppercase })
                else { return nil }
                return .some(text)
            })
    }
}

extension QueryParameter where Value: CaseIterable & RawRepresentable, Value.RawValue == String {
    /// One of an enum's raw values, `value` when absent.
    static func enumeration(_ name: String, default value: Value) -> QueryParameter<Value> {
        QueryParameter(name, choices: Value.self, absent: value, parse: { Value(rawValue: $0) })
    }
}

extension QueryParameter {
    /// One of an enum's raw values, or nil when absent (no filter).
    static func enumeration<Choice: CaseIterable & RawRepresentable & Sendable>(
        _ name: String, of type: Choice.Type
    ) -> QueryParameter<Choice?> where Value == Choice?, Choice.RawValue == String {
        // `.some(nil)`: absent is a value (no filter); a raw value that is no case is no value at all.
        QueryParameter(
            name, choices: Choice.self, absent: .some(nil), parse: { Choice(rawValue: $0).map(Optional.some) })
    }

    private init<Choice: CaseIterable & RawRepresentable>(
        _ name: String, choices: Choice.Type, absent: Value?, parse: @escaping @Sendable (String) -> Value?
    ) where Choice.RawValue == String {
        let values = Choice.allCases.map(\.rawValue)
        self.init(
            name, accepts: "one of " + values.joined(separator: ", "), schema: .enumeration(values), absent: absent,
            parse: parse)
    }
}
