import Dispatch
import Glibc

/// SIGTERM and SIGINT, received through a `DispatchSource` (not an
/// async-signal handler), so what runs after may take locks and log.
/// A nonisolated type on purpose: handlers created in top-level code would
/// be main-actor closures, and a dispatch queue may not run those.
enum StopSignal {
    /// Blocks until SIGTERM or SIGINT arrives.
    static func wait() {
        let stopped = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stopped.signal() }
            source.resume()
            sources.append(source)
        }
        stopped.wait()
        withExtendedLifetime(sources) {}
    }
}
