/// The request of an operation that takes nothing, and the response of one
/// that returns nothing. On the wire: `{}`.
public struct Empty: Codable, Sendable, Equatable {
    public init() {}
}
