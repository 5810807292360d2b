/// One client connection. Owned and touched only by the event loop that
/// registered it, so it needs no lock.
final class Connection {
    /// Why the connection's current deadline exists, which decides what
    /// happens when it passes.
    enum DeadlineKind {
        case none
        /// The head did not complete in time: 408.
        case head
        /// The body did not complete in time: 408.
        case body
        /// Nothing happened on a keep-alive connection: close quietly.
        case idle
        /// The client stopped reading our output: close.
        case write
        /// We half-closed and waited long enough for the client to finish.
        case linger
    }

    /// A response position, in request order. Worker responses can arrive in
    /// any order; they leave strictly in this one.
    struct ResponseSlot {
        var bytes: [UInt8]?
        var closeAfter = false
    }

    /// Requests in flight (parsed, response not yet written) before this
    /// connection stops parsing more: pipelining must not let one client
    /// fill the worker queue.
    static let maxPipelineDepth = 16
    /// Unsent output above which no further request is parsed until the client reads.
    static let outputHighWater = 64 * 1024
    /// An emptied output buffer above this size is released rather than kept.
    static let retainedOutputCapacity = 256 * 1024

    let fd: Int32
    let id: UInt64
    let remoteAddress: String
    let openedAt: UInt64

    var parser: RequestParser
    var output: [UInt8] = []
    var outputSent = 0
    var slots = RingBuffer<ResponseSlot>()
    /// Sequence number of `slots[0]`.
    var firstSlotSequence: UInt64 = 0

    /// Edge-triggered epoll reports readability once; this remembers it until a read says EAGAIN.
    var socketReadable = true
    /// False once a request said `connection: close`, a problem was answered,
    /// or the server is draining: no further request head is parsed.
    var acceptsRequests = true
    /// Close (after a lingering half-close) once every response is written.
    var closeAfterFlush = false
    /// The client sent FIN; answer what is pending, then close.
    var peerClosed = false
    /// A `100 Continue` is owed once earlier responses are out.
    var continuePending = false
    var lingering = false
    var lingerDiscarded = 0
    var lingerDeadline: UInt64 = 0
    /// Holds one place under `maxConnections` (rejected connections do not).
    var counted: Bool

    var requestCount = 0
    var trackedPhase = RequestParser.Phase.idle
    var phaseStartedAt: UInt64
    var idleSince: UInt64
    var lastWriteProgress: UInt64
    var deadline = UInt64.max
    var deadlineKind = DeadlineKind.none

    init(fd: Int32, id: UInt64, remoteAddress: String, now: UInt64, limits: RequestLimits, counted: Bool) {
        self.fd = fd
        self.id = id
        self.remoteAddress = remoteAddress
        self.openedAt = now
        self.phaseStartedAt = now
        self.idleSince = now
        self.lastWriteProgress = now
        self.counted = counted
        self.parser = RequestParser(limits: limits, remoteAddress: remoteAddress)
    }

    var pendingOutput: Int { output.count - outputSent }

    var nextSequence: UInt64 { firstSlotSequence + UInt64(slots.count) }

    /// Parsing pauses while the client is not keeping up with its responses.
    var isPaused: Bool {
        slots.count >= Connection.maxPipelineDepth || pendingOutput >= Connection.outputHighWater
    }

    /// Nothing owed to the client.
    var isQuiet: Bool { slots.isEmpty && pendingOutput == 0 }

    /// Stops reading requests; what is already in flight is still answered.
    func refuseFurtherRequests() {
        acceptsRequests = false
        parser.stop()
    }
}
