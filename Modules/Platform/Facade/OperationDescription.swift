/// One operation of a `ContractDescription`.
public struct OperationDescription: Codable, Sendable, Equatable {
    public var name: String
    public var readOnly: Bool
    /// The request's JSON shape, e.g. `{"amount_cents":"integer","currency":"string"}`.
    public var requestShape: String
    public var responseShape: String

    public init(name: String, readOnly: Bool, requestShape: String, responseShape: String) {
        self.name = name
        self.readOnly = readOnly
        self.requestShape = requestShape
        self.responseShape = responseShape
    }

    init(_ binding: any OperationBinding) {
        self.init(
            name: binding.name, readOnly: binding.isReadOnly, requestShape: binding.requestShape,
            responseShape: binding.responseShape)
    }

    enum CodingKeys: String, CodingKey {
        case name
        case readOnly = "read_only"
        case requestShape = "request_shape"
        case responseShape = "response_shape"
    }
}
