import Dispatch
import Foundation
import Platform

/// SIGTERM and SIGINT, delivered through a `DispatchSource` instead of an
/// async-signal handler, so shutdown code may take locks and log.
public enum ShutdownSignal {
    /// Blocks until SIGTERM or SIGINT arrives, then runs `stop` and returns.
    public static func wait(then stop: @escaping @Sendable (Int32) -> Void) {
        let stopped = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                Log.shared.info("shutting down", ["signal": .int(Int(signalNumber))])
                stop(signalNumber)
                stopped.signal()
            }
            source.resume()
            sources.append(source)
        }
        stopped.wait()
        withExtendedLifetime(sources) {}
    }
}
