/// A FIFO queue with O(1) append and removal at the front: the worker queue
/// and each connection's in-order response slots. (`Array.removeFirst` is
/// O(n), and the package takes no third-party Deque.)
struct RingBuffer<Element> {
    private var storage: [Element?]
    private var head = 0
    private(set) var count = 0

    init(initialCapacity: Int = 8) {
        var capacity = 1
        while capacity < initialCapacity { capacity <<= 1 }
        storage = Array(repeating: nil, count: capacity)
    }

    var isEmpty: Bool { count == 0 }

    /// Capacity is a power of two, so wrapping is a mask.
    @inline(__always)
    private func slot(_ offset: Int) -> Int { (head + offset) & (storage.count - 1) }

    mutating func append(_ element: Element) {
        if count == storage.count { grow() }
        storage[slot(count)] = element
        count += 1
    }

    mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let element = storage[head]
        storage[head] = nil
        head = slot(1)
        count -= 1
        return element
    }

    var first: Element? { count > 0 ? storage[head] : nil }

    /// The element `offset` places behind the front.
    subscript(offset: Int) -> Element {
        get {
            precondition(offset >= 0 && offset < count, "RingBuffer index out of range")
            return storage[slot(offset)]!
        }
        set {
            precondition(offset >= 0 && offset < count, "RingBuffer index out of range")
            storage[slot(offset)] = newValue
        }
    }

    mutating func removeAll() {
        while popFirst() != nil {}
        head = 0
    }

    private mutating func grow() {
        var larger = [Element?](repeating: nil, count: storage.count * 2)
        for offset in 0..<count { larger[offset] = storage[slot(offset)] }
        storage = larger
        head = 0
    }
}
