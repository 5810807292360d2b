/// An operation whatever its request and response types, as a module's API
/// lists the operations it declares (`PaymentsOperations.all`): what a
/// descriptor compares its table with, and what a contract says of each.
public protocol DeclaredOperation: Sendable {
    var operationDescription: OperationDescription { get }
}

extension Operation: DeclaredOperation where Request: ContractSample, Response: ContractSample {
    /// Its name, whether it is read-only, and what its types' contract samples and decoders say.
    public var operationDescription: OperationDescription {
        OperationDescription(
            name: name, readOnly: isReadOnly, requestSample: Request.contractSample,
            responseSample: Response.contractSample)
    }
}
