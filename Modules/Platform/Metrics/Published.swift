import Synchronization

/// A value read on every observation without a lock, and replaced rarely
/// (when a series is first used) under one: a metric's resolved series.
///
/// Reading is one atomic load of an unretained pointer. That is sound only
/// because nothing published is ever freed: every value ever published
/// stays in `kept`, so a reader holding an old one never sees it go. What
/// is published is a map of series, and series are never forgotten, so the
/// values grow with the number of series, which labels keep small.
final class Published<Value: Sendable>: Sendable {
    private final class Box: Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private let current: Atomic<UInt>
    private let kept: Mutex<[Box]>

    init(_ value: Value) {
        let box = Box(value)
        kept = Mutex([box])
        current = Atomic(UInt(bitPattern: Unmanaged.passUnretained(box).toOpaque()))
    }

    /// The value last published.
    @inline(__always)
    var value: Value {
        let bits = current.load(ordering: .acquiring)
        return Unmanaged<Box>.fromOpaque(UnsafeRawPointer(bitPattern: bits).unsafelyUnwrapped).takeUnretainedValue().value
    }

    /// Changes a copy of the latest value under the lock and publishes it,
    /// unless `change` returns its result without touching it (found by
    /// someone else first); returns what `change` returned.
    func update<Result>(_ change: (inout Value) -> (result: Result, changed: Bool)) -> Result {
        kept.withLock { kept in
            var value = kept[kept.count - 1].value
            let (result, changed) = change(&value)
            guard changed else { return result }
            let box = Box(value)
            kept.append(box)
            current.store(UInt(bitPattern: Unmanaged.passUnretained(box).toOpaque()), ordering: .releasing)
            return result
        }
    }
}
