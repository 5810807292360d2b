import Synchronization

/// Where an operation table's calls are measured: empty until the process
/// that serves the table attaches its module's meter (the gateway does, for
/// `GET /admin/modules`), then that meter for good. Reading it is one atomic
/// load, so a table nobody measures (a service's, a test's) pays next to nothing.
public final class MeterSlot: Sendable {
    /// The bit pattern of an unretained pointer to the attached meter, 0
    /// until one is. Not `AtomicLazyReference`: its `load` looks up generic
    /// metadata at run time on every call, a tenth of an in-process call's
    /// budget. The pointer stays valid because `attached` holds the meter
    /// as long as the slot lives, and a meter is never detached.
    private let bits = Atomic<UInt>(0)
    private let attached = Mutex<ModuleMeter?>(nil)

    public init() {}

    /// The meter attached, if any.
    @inline(__always)
    public var current: ModuleMeter? {
        let bits = bits.load(ordering: .acquiring)
        guard bits != 0 else { return nil }
        return Unmanaged<ModuleMeter>.fromOpaque(UnsafeRawPointer(bitPattern: bits).unsafelyUnwrapped)
            .takeUnretainedValue()
    }

    /// Attaches `meter`, unless one already is: returns the one in force.
    @discardableResult
    public func attach(_ meter: ModuleMeter) -> ModuleMeter {
        attached.withLock { attached in
            if let attached { return attached }
            attached = meter
            bits.store(UInt(bitPattern: Unmanaged.passUnretained(meter).toOpaque()), ordering: .releasing)
            return meter
        }
    }
}
