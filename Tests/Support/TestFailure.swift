/// A test's own failure to set something up (a child that did not start,
/// a command that did not finish), as a thrown error with its reason.
package struct TestFailure: Error, CustomStringConvertible {
    package let description: String

    package init(_ description: String) { self.description = description }
}
