import Foundation
import Glibc
import Platform
import Synchronization

/// An HTTP/1.1 server: epoll event loops for I/O, a bounded worker pool for handlers.
///
/// Connections are served by `ioThreadCount` edge-triggered epoll loops;
/// complete requests go to `workerCount` threads (or stay on the I/O thread
/// when `HTTPResponder.runsOnIOThread` says so) and their responses are
/// written back in request order. Every limit in `HTTPServerConfiguration`
/// is enforced with a problem+json answer (400, 408, 413, 431, 503, 505).
///
///     var configuration = HTTPServerConfiguration()
///     configuration.port = 0
///     let server = HTTPServer(configuration: configuration, responder: app)
///     try server.start()
///     print(server.port)
///     // … on SIGTERM:
///     server.shutdown()
///
/// `shutdown()` must be called to stop the threads; dropping the last
/// reference does not.
public final class HTTPServer: Sendable {
    private enum Lifecycle {
        case idle
        case running(ServerRuntime)
        case stopping
        case stopped
    }

    private let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let lifecycle = Mutex(Lifecycle.idle)
    private let stopped = Latch()
    private let boundPort = Atomic<Int>(0)
    /// When the lame duck ends (`MonotonicClock`), from the first `announceShutdown()`.
    private let lameDuckEnds = Mutex<UInt64?>(nil)

    public init(configuration: HTTPServerConfiguration, responder: any HTTPResponder) {
        self.configuration = configuration
        self.responder = responder
    }

    /// Binds, listens and starts the loops and workers; returns once
    /// connections are being accepted. Throws `HTTPServerError.addressInUse`
    /// when the port is taken.
    public func start() throws {
        // Holding the lock while starting makes a concurrent `shutdown()` wait for a complete start.
        try lifecycle.withLock { lifecycle in
            guard case .idle = lifecycle else { throw HTTPServerError.alreadyStarted }
            do {
                let runtime = try ServerRuntime.start(configuration: configuration, responder: responder)
                boundPort.store(runtime.port, ordering: .releasing)
                lifecycle = .running(runtime)
            } catch {
                lifecycle = .stopped
                stopped.open()
                throw error
            }
        }
    }

    /// The bound port: the configured one, or the one the kernel picked for port 0.
    /// Zero before `start()`.
    public var port: Int { boundPort.load(ordering: .acquiring) }

    /// Begins shutdown's lame duck (`lameDuckPeriod`) and returns at once:
    /// readiness answers 503, each response closes its connection, and
    /// `shutdown()` waits out what is left of the period. A process stopping
    /// several servers announces to each first, so their periods overlap.
    public func announceShutdown() {
        let runtime = lifecycle.withLock { lifecycle -> ServerRuntime? in
            guard case .running(let runtime) = lifecycle else { return nil }
            return runtime
        }
        guard let runtime else { return }
        lameDuckEnds.withLock { ends in
            if ends == nil { ends = MonotonicClock.now() + MonotonicClock.nanoseconds(configuration.lameDuckPeriod) }
        }
        runtime.context.draining.store(true, ordering: .relaxed)
    }

    /// Serves out the lame duck (see `announceShutdown()`), then stops
    /// accepting, lets in-flight and queued requests finish for up to
    /// `shutdownGracePeriod`, closes every connection, and returns when done.
    /// Safe to call more than once and from several threads: later calls wait.
    public func shutdown() {
        announceShutdown()
        let runtime = lifecycle.withLock { lifecycle -> ServerRuntime? in
            switch lifecycle {
            case .idle:
                lifecycle = .stopped
                stopped.open()
                return nil
            case .running(let runtime):
                lifecycle = .stopping
                return runtime
            case .stopping, .stopped:
                return nil
            }
        }
        guard let runtime else {
            stopped.wait()
            return
        }
        if let ends = lameDuckEnds.withLock({ $0 }) {
            let now = MonotonicClock.now()
            if ends > now { Thread.sleep(forTimeInterval: Double(ends - now) / 1e9) }
        }
        runtime.drain(gracePeriod: configuration.shutdownGracePeriod)
        lifecycle.withLock { $0 = .stopped }
        stopped.open()
    }

    /// Blocks until a `shutdown()` has completed (or `start()` failed).
    public func waitUntilStopped() {
        stopped.wait()
    }
}

/// The threads and descriptors of one running server.
final class ServerRuntime: Sendable {
    let context: ServerContext
    let loops: [EventLoop]
    let port: Int

    private init(context: ServerContext, loops: [EventLoop], port: Int) {
        self.context = context
        self.loops = loops
        self.port = port
    }

    static func start(configuration: HTTPServerConfiguration, responder: any HTTPResponder) throws -> ServerRuntime {
        let listener = try listen(configuration)
        let context = ServerContext(configuration: configuration, responder: responder)
        var loops: [EventLoop] = []
        do {
            for index in 0..<max(1, configuration.ioThreadCount) {
                loops.append(try EventLoop(index: index, context: context))
            }
            try loops[0].adoptListener(listener.fd)
        } catch {
            if !(loops.first?.ownsListener ?? false) { Syscall.close(listener.fd) }
            for loop in loops { loop.discard() }
            throw HTTPServerError.systemCall(error)
        }
        for loop in loops { loop.setPeers(loops) }

        context.workers.start(name: "banyan-http-worker")
        for loop in loops {
            let thread = Thread { loop.run() }
            thread.name = "banyan-http-io-\(loop.index)"
            thread.start()
        }
        return ServerRuntime(context: context, loops: loops, port: listener.port)
    }

    /// A bound, listening, non-blocking socket with SO_REUSEADDR (so a
    /// restart does not wait out TIME_WAIT).
    private static func listen(_ configuration: HTTPServerConfiguration) throws -> (fd: Int32, port: Int) {
        let host = configuration.host, port = configuration.port
        guard let address = SocketAddress(host: host, port: port) else {
            throw HTTPServerError.invalidAddress(host: host, port: port)
        }
        let fd: Int32
        do {
            fd = try Syscall.socket(family: address.family)
        } catch {
            throw HTTPServerError.systemCall(error)
        }
        do {
            try Syscall.setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
            try Syscall.bind(fd, address: address)
            try Syscall.listen(fd, backlog: Int32(clamping: max(128, min(configuration.maxConnections, 4096))))
            return (fd, try Syscall.localAddress(fd).port)
        } catch {
            Syscall.close(fd)
            switch error.code {
            case EADDRINUSE: throw HTTPServerError.addressInUse(host: host, port: port)
            case EACCES: throw HTTPServerError.permissionDenied(host: host, port: port)
            case EADDRNOTAVAIL: throw HTTPServerError.invalidAddress(host: host, port: port)
            default: throw HTTPServerError.systemCall(error)
            }
        }
    }

    /// Graceful stop: see `HTTPServer.shutdown()`.
    func drain(gracePeriod: Double) {
        context.draining.store(true, ordering: .relaxed)
        let deadline = MonotonicClock.now() + MonotonicClock.nanoseconds(gracePeriod)
        for loop in loops { loop.requestDrain(deadline: deadline) }
        for loop in loops { loop.waitUntilStopped() }
        context.workers.stop()
    }
}
