/// A type with a sample value for the contract: every optional field set and
/// one element in every array, so its JSON shape (`ContractShape`) shows
/// every key a provider may send. Conform each request and response type of
/// a module's operations once, next to the type or in the module's samples
/// file; `OperationTable.bind` and `Operation.description` take the shapes
/// from there, so no operation repeats them.
///
///     extension Payment: ContractSample {
///         public static let contractSample = Payment(id: "…", orderID: "…", …, refundedAt: Date(timeIntervalSince1970: 0))
///     }
public protocol ContractSample: Codable, Sendable {
    static var contractSample: Self { get }
}

extension Optional: ContractSample where Wrapped: ContractSample {
    /// The wrapped sample: a `nil` would hide every key of the type.
    public static var contractSample: Self { .some(Wrapped.contractSample) }
}

extension Array: ContractSample where Element: ContractSample {
    /// One element: an empty array would hide the element's shape.
    public static var contractSample: Self { [Element.contractSample] }
}

extension String: ContractSample {
    public static var contractSample: String { "sample" }
}

extension Empty: ContractSample {
    public static var contractSample: Empty { Empty() }
}
