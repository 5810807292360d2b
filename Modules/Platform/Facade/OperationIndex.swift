import Synchronization

/// Gives every operation name one small integer for the life of the process.
///
/// Operations are declared as `static let`s, so this runs once per name;
/// the number lets `OperationTable` keep handlers in an array and lets
/// `LocalTransport` find one without hashing the name on every call.
final class OperationIndex: Sendable {
    static let shared = OperationIndex()

    private let indices = Mutex<[String: Int]>([:])

    func index(for name: String) -> Int {
        indices.withLock { indices in
            if let index = indices[name] { return index }
            let index = indices.count
            indices[name] = index
            return index
        }
    }
}
