import Foundation

/// Which home served each module call of the current request, e.g.
/// `payments=service`, so the gateway can say so in `x-banyan-route`:
/// `RoutedTransport` records (in every process), the gateway's responder
/// begins and ends (elsewhere nothing begins, and recording does nothing).
///
/// Per thread: a request's handler runs start to finish on one worker
/// thread, and so do the facade calls it makes. Recording costs a
/// thread-local read when no request is being traced (event delivery,
/// recovery), so it stays off the in-process hot path's budget.
package enum RouteTrace {
    private final class Entries {
        var active = false
        var routes: [String] = []
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        // Each thread's box is released with its thread.
        pthread_key_create(&key) { box in
            if let box { Unmanaged<AnyObject>.fromOpaque(box).release() }
        }
        return key
    }()

    private static func entries(creating: Bool) -> Entries? {
        if let box = pthread_getspecific(key) { return Unmanaged<Entries>.fromOpaque(box).takeUnretainedValue() }
        guard creating else { return nil }
        let entries = Entries()
        pthread_setspecific(key, Unmanaged.passRetained(entries).toOpaque())
        return entries
    }

    /// Starts collecting on this thread.
    package static func begin() {
        let entries = entries(creating: true)!
        entries.routes.removeAll(keepingCapacity: true)
        entries.active = true
    }

    /// Notes `entry`, `module=path`: a module call served by that path
    /// (`CallPath`: `payments=in-process`, `payments=service`, …).
    package static func record(_ entry: String) {
        guard let entries = entries(creating: false), entries.active else { return }
        if !entries.routes.contains(entry) { entries.routes.append(entry) }
    }

    /// Stops collecting and returns what was recorded, in call order.
    package static func end() -> [String] {
        guard let entries = entries(creating: false), entries.active else { return [] }
        entries.active = false
        return entries.routes
    }
}
