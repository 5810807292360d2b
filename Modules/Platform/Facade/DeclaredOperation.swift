/// An operation whatever its request and response types, as a module's API
/// lists the operations it declares (`PaymentsOperations.all`): what a
/// descriptor compares its table with, and what a contract says of each.
public protocol DeclaredOperation: Sendable {
    var operationDescription: OperationDescription { get }
}

extension Operation: DeclaredOperation where Request: ContractSample, Response: ContractSample {
    /// Its name, whether it is read-only, and the shapes of its types' contract samples.
    public var operationDescription: OperationDescription {
        OperationDescription(
            name: name, readOnly: isReadOnly, requestShape: ContractShape.of(Request.contractSample),
            responseShape: ContractShape.of(Response.contractSample))
    }
}
