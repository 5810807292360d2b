extension Problem {
    /// The answer to a request body that does not decode, the same from the
    /// gateway and from every service:
    ///
    /// - 400 `malformed_json` when the bytes are not JSON at all;
    /// - 422 `validation_failed` when they are, but not the expected shape,
    ///   naming the field: `items.0.quantity: is required`,
    ///   `amount_cents: has the wrong type`, `body: …` for the whole body.
    public init(undecodableBody error: DecodingError) {
        func field(_ path: [any CodingKey]) -> String {
            let name = path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return name.isEmpty ? "body" : name
        }
        switch error {
        case .keyNotFound(let key, let context):
            self = .unprocessable("validation_failed", "\(field(context.codingPath + [key])): is required")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            self = .unprocessable("validation_failed", "\(field(context.codingPath)): has the wrong type")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            self = .unprocessable("validation_failed", "\(field(context.codingPath)): is not a valid value")
        default:
            // Corrupt data at the root is the JSON text itself failing to parse.
            self = .badRequest("malformed_json", "The request body is not valid JSON.")
        }
    }
}
