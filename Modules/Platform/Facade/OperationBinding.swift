import Platform

/// One operation bound to its handler, with what the contract says of it.
/// Immutable once made; the two transports reach the handler through it.
protocol OperationBinding: AnyObject, Sendable {
    var name: String { get }
    var isReadOnly: Bool { get }
    /// What the contract says of it: shapes, optional and closed paths.
    var operationDescription: OperationDescription { get }
    /// `ObjectIdentifier`s of the request and response types.
    var types: (request: ObjectIdentifier, response: ObjectIdentifier) { get }
    /// The HTTP path: decode the body, run the handler, encode its answer.
    /// A body that does not decode throws the `Problem` the gateway would
    /// answer it with (`Problem(undecodableBody:)`).
    func serve(_ context: CallContext, body: [UInt8]) throws -> [UInt8]
}

/// The typed binding: `LocalTransport` casts to it and calls `handler` with
/// the caller's own values, so the local path never serializes.
final class TypedBinding<Request: Codable & Sendable, Response: Codable & Sendable>: OperationBinding {
    let name: String
    let isReadOnly: Bool
    let operationDescription: OperationDescription
    let handler: @Sendable (CallContext, Request) throws -> Response
    let types = (request: ObjectIdentifier(Request.self), response: ObjectIdentifier(Response.self))

    init(
        _ operation: Operation<Request, Response>, sample: (Request, Response),
        handler: @escaping @Sendable (CallContext, Request) throws -> Response
    ) {
        name = operation.name
        isReadOnly = operation.isReadOnly
        operationDescription = OperationDescription(
            name: operation.name, readOnly: operation.isReadOnly, requestSample: sample.0, responseSample: sample.1)
        self.handler = handler
    }

    func serve(_ context: CallContext, body: [UInt8]) throws -> [UInt8] {
        // An empty body is `{}`, so operations taking `Empty` need none.
        let request = try WireJSON.decodeBody(Request.self, from: body.isEmpty ? Array("{}".utf8) : body)
        return try WireJSON.encode(try handler(context, request))
    }
}
