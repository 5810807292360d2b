/// One operation of a `ContractDescription`.
///
/// Besides the shapes of its samples (`ContractShape`), it says what the
/// request and response types' decoders demand (`ContractRequiredness`), as
/// sorted lists of paths (`.payment.amount_cents`, `.lines[].sku`, the
/// empty path for the body itself):
///
/// - `request_optional` / `response_optional`: members the type decodes
///   without. For a request: a field the service lets a caller omit (and one
///   a caller may omit, its encoder leaving out what its decoder can do
///   without). For a response: a field the reader can do without, and one
///   the writer may leave out.
/// - `request_closed` / `response_closed`: objects that refuse a key they do
///   not know; absent when there is none, which is every synthesized `Codable`
///   type (`WireJSON` ignores unknown keys).
///
/// All four are absent from a description written before they existed; an
/// older reader ignores them (`JSONDecoder` ignores unknown keys), so the wire
/// form stays readable both ways. `ContractCompatibility` documents what it
/// assumes when they are absent.
public struct OperationDescription: Codable, Sendable, Equatable {
    public var name: String
    public var readOnly: Bool
    /// The request's JSON shape, e.g. `{"amount_cents":"integer","currency":"string"}`.
    public var requestShape: String
    public var responseShape: String
    /// Members of the request the service's decoder does without; nil when not known.
    public var requestOptional: [String]?
    /// Members of the response the reader's decoder does without (which a
    /// writer of the same type may leave out); nil when not known.
    public var responseOptional: [String]?
    /// Request objects that refuse unknown keys; nil when none (or not known).
    public var requestClosed: [String]?
    /// Response objects that refuse unknown keys; nil when none (or not known).
    public var responseClosed: [String]?

    public init(
        name: String, readOnly: Bool, requestShape: String, responseShape: String, requestOptional: [String]? = nil,
        responseOptional: [String]? = nil, requestClosed: [String]? = nil, responseClosed: [String]? = nil
    ) {
        self.name = name
        self.readOnly = readOnly
        self.requestShape = requestShape
        self.responseShape = responseShape
        self.requestOptional = requestOptional?.sorted()
        self.responseOptional = responseOptional?.sorted()
        self.requestClosed = requestClosed.flatMap { $0.isEmpty ? nil : $0.sorted() }
        self.responseClosed = responseClosed.flatMap { $0.isEmpty ? nil : $0.sorted() }
    }

    /// The description of an operation taking `Request` and answering
    /// `Response`, from their samples: the shapes, and what each type's
    /// decoder does without or refuses.
    public init<Request: Codable, Response: Codable>(
        name: String, readOnly: Bool, requestSample: Request, responseSample: Response
    ) {
        let request = ContractRequiredness.probe(requestSample)
        let response = ContractRequiredness.probe(responseSample)
        self.init(
            name: name, readOnly: readOnly, requestShape: ContractShape.of(requestSample),
            responseShape: ContractShape.of(responseSample), requestOptional: request?.optional,
            responseOptional: response?.optional, requestClosed: request?.closed, responseClosed: response?.closed)
    }

    /// The lines the contract's fingerprint is taken over, in a fixed order.
    /// What an older writer could not say adds no line, so its fingerprints
    /// stay what they were.
    var canonical: String {
        var out = "operation \(name)\nread_only \(readOnly)\n"
        out += "request \(requestShape)\nresponse \(responseShape)\n"
        for (label, paths) in [
            ("request_optional", requestOptional), ("response_optional", responseOptional),
            ("request_closed", requestClosed), ("response_closed", responseClosed),
        ] {
            if let paths { out += "\(label) \(paths.joined(separator: " "))\n" }
        }
        return out
    }

    enum CodingKeys: String, CodingKey {
        case name
        case readOnly = "read_only"
        case requestShape = "request_shape"
        case responseShape = "response_shape"
        case requestOptional = "request_optional"
        case responseOptional = "response_optional"
        case requestClosed = "request_closed"
        case responseClosed = "response_closed"
    }
}
