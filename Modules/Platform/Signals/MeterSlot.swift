import Synchronization

/// Where an operation table's calls are measured: empty until the process
/// that serves the table attaches its module's meter (the gateway does, for
/// `GET /admin/modules`), then that meter for good. Reading it is one atomic
/// load, so a table nobody measures (a service's, a test's) pays next to nothing.
public final class MeterSlot: Sendable {
    private let meter = AtomicLazyReference<ModuleMeter>()

    public init() {}

    /// The meter attached, if any.
    @inline(__always)
    public var current: ModuleMeter? { meter.load() }

    /// Attaches `meter`, unless one already is: returns the one in force.
    @discardableResult
    public func attach(_ meter: ModuleMeter) -> ModuleMeter {
        self.meter.storeIfNil(meter)
    }
}
