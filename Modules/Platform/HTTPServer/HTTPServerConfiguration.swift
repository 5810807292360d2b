/// Limits and sizes of an `HTTPServer`, each with the default the issue names.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind; `127.0.0.1` by default, `0.0.0.0` for all interfaces.
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free port (read it back from `HTTPServer.port`).
    public var port: Int = 8000
    /// Request line plus header fields, in bytes. Over it: 431.
    public var maxHeaderBytes: Int = 16 * 1024
    /// Number of header fields. Over it: 431.
    public var maxHeaderCount: Int = 100
    /// Body bytes (after de-chunking). Over it: 413, refused before it is read.
    public var maxBodyBytes: Int = 1024 * 1024
    /// A request's head must be complete within this many seconds of its first byte
    /// (or of the connection opening). Over it: 408 and close.
    public var headerReadTimeout: Double = 10
    /// A body must arrive within this many seconds once the head is complete.
    public var bodyReadTimeout: Double = 30
    /// An idle keep-alive connection is closed after this many seconds.
    public var idleTimeout: Double = 60
    /// Open connections at most. One more is answered 503 and closed.
    public var maxConnections: Int = 1024
    /// Threads running `HTTPResponder.respond(to:)`.
    public var workerCount: Int = 16
    /// Requests waiting for a worker at most; one more is answered 503.
    public var maxQueuedRequests: Int = 4096
    /// Event-loop threads (each with its own epoll instance).
    public var ioThreadCount: Int = 1
    /// On shutdown, in-flight requests get this long to finish.
    public var shutdownGracePeriod: Double = 10
    /// On shutdown, first serve this many seconds more as a lame duck:
    /// `readinessPath` answers 503 and every response closes its connection,
    /// so a load balancer stops choosing this instance and its keep-alive
    /// connections end after a request, not under one. Only then does the
    /// listener close and the drain begin. 0 closes the listener at once.
    public var lameDuckPeriod: Double = 0
    /// What a load balancer polls (`GET`): from the moment shutdown begins the
    /// server answers it itself, 503 `shutting_down`. nil: the handler answers.
    public var readinessPath: String? = "/ready"

    public init() {}
}
