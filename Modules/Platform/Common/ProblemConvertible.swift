/// A module's typed error that maps itself to the wire.
///
/// The gateway answers any `ProblemConvertible` error with its `problem`; a
/// remote transport turns a received problem back into the same typed error
/// through the module's decoder, matching on `code`.
public protocol ProblemConvertible: Error {
    var problem: Problem { get }
}

extension Problem: ProblemConvertible {
    public var problem: Problem { self }
}
