import Synchronization

/// A collector's place in a registry: `cancel()` stops it being run, so a
/// component that stops (a gateway shut down in a test) leaves no figures behind.
public final class CollectorRegistration: Sendable {
    private let remove: Mutex<(@Sendable () -> Void)?>

    init(remove: @escaping @Sendable () -> Void) {
        self.remove = Mutex(remove)
    }

    public func cancel() {
        let remove = remove.withLock { remove in
            defer { remove = nil }
            return remove
        }
        remove?()
    }
}
