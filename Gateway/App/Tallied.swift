import Synchronization

/// A value of counts shared between a component's background work and the
/// `/metrics` collector reading it: a reference, so a closure made in an
/// `init` can hold it before `self` exists.
final class Tallied<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ initial: Value) { value = Mutex(initial) }

    var read: Value { value.withLock { $0 } }

    func update(_ change: (inout Value) -> Void) { value.withLock { change(&$0) } }
}
