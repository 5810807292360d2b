import Glibc
import Platform
import Synchronization

/// A response a worker finished, travelling back to the loop that owns its connection.
struct FinishedResponse: Sendable {
    let fd: Int32
    let connectionID: UInt64
    let sequence: UInt64
    let bytes: [UInt8]
    let closeAfter: Bool
}

/// One epoll instance and the thread that runs it.
///
/// Loop 0 also owns the listening socket: it accepts every connection and
/// deals them round-robin to the loops (itself included) through their
/// mailboxes. One acceptor keeps the connection cap exact and lets port 0
/// work without the SO_REUSEPORT dance of binding one socket per loop; at
/// the connection rates this server sees, accepting is never the bottleneck.
///
/// Timers are one deadline per connection, checked in a sweep that runs
/// only when the earliest known deadline has passed; epoll_wait sleeps
/// until then (at most a second). No thread per connection, no timer heap.
final class EventLoop: @unchecked Sendable {
    // Why @unchecked Sendable is safe: `mailbox` is the only mutable state
    // other threads touch (through `post`, `handOff`, `requestDrain`), and it
    // is behind a Mutex; `perform` runs on workers but reads only the
    // immutable `context`; `peers` and `listenerFD` are set before the loop
    // thread starts. Everything else is read and written only on the loop's
    // own thread, inside `run()`.

    private struct Mailbox {
        var finished: [FinishedResponse] = []
        var accepted: [(fd: Int32, peer: String)] = []
        var drainDeadline: UInt64?
        var wakeRequested = false
        var closed = false
    }

    private enum Token {
        static let wake = UInt64.max
        static let listener = UInt64.max - 1
    }

    private static let maxEvents = 256
    private static let readChunk = 64 * 1024
    /// Bytes read from one connection per turn before others get theirs.
    static let readBudget = 256 * 1024
    /// How long a half-closed connection may keep sending before we close it.
    private static let lingerTime = MonotonicClock.nanoseconds(2)
    private static let drainingLingerTime = MonotonicClock.nanoseconds(0.5)
    static let lingerDiscardLimit = 1024 * 1024

    let index: Int
    let context: ServerContext
    private let epollFD: Int32
    private let wakeFD: Int32
    private let mailbox = Mutex(Mailbox())
    private let stopped = Latch()

    /// Set before the thread starts, then only read.
    private(set) var peers: [EventLoop] = []
    private var listenerFD: Int32 = -1

    // Loop-thread state.
    var connections: [Connection?] = []
    var connectionCount = 0
    var lingeringCount = 0
    var now: UInt64 = MonotonicClock.now()
    var nextSweep = UInt64.max
    var readAgain: [(fd: Int32, id: UInt64)] = []
    var drainDeadline: UInt64?
    let readBuffer: UnsafeMutableRawBufferPointer
    private let eventBuffer: UnsafeMutableBufferPointer<Epoll.Event>
    private var finishedScratch: [FinishedResponse] = []
    private var acceptedScratch: [(fd: Int32, peer: String)] = []
    private var nextConnectionID: UInt64 = 0
    private var acceptRetryAt: UInt64?
    private var roundRobin = 0
    private var lastAcceptErrorLog: UInt64 = 0

    init(index: Int, context: ServerContext) throws(SystemCallError) {
        self.index = index
        self.context = context
        epollFD = try Syscall.epollCreate()
        do {
            wakeFD = try Syscall.eventFD()
        } catch {
            Syscall.close(epollFD)
            throw error
        }
        do {
            try Syscall.epollAdd(epollFD, wakeFD, events: Epoll.input | Epoll.edgeTriggered, token: Token.wake)
        } catch {
            Syscall.close(wakeFD)
            Syscall.close(epollFD)
            throw error
        }
        readBuffer = .allocate(byteCount: Self.readChunk, alignment: 16)
        eventBuffer = .allocate(capacity: Self.maxEvents)
    }

    deinit {
        readBuffer.deallocate()
        eventBuffer.deallocate()
    }

    // MARK: Set-up, before the thread starts

    func setPeers(_ loops: [EventLoop]) { peers = loops }

    var ownsListener: Bool { listenerFD >= 0 }

    func adoptListener(_ fd: Int32) throws(SystemCallError) {
        try Syscall.epollAdd(epollFD, fd, events: Epoll.input | Epoll.edgeTriggered, token: Token.listener)
        listenerFD = fd
    }

    /// Closes the descriptors of a loop that never ran.
    func discard() {
        if listenerFD >= 0 { Syscall.close(listenerFD) }
        mailbox.withLock { box in
            box.closed = true
            Syscall.close(wakeFD)
        }
        Syscall.close(epollFD)
        stopped.open()
    }

    // MARK: Called from other threads

    /// Hands a finished response back; dropped if the loop has stopped.
    func post(_ finished: FinishedResponse) {
        mailbox.withLock { box in
            guard !box.closed else { return }
            box.finished.append(finished)
            wakeLocked(&box)
        }
    }

    /// Gives this loop a connection accepted by loop 0; false if it has stopped.
    func handOff(fd: Int32, peer: String) -> Bool {
        mailbox.withLock { box in
            guard !box.closed else { return false }
            box.accepted.append((fd, peer))
            wakeLocked(&box)
            return true
        }
    }

    /// Starts a graceful stop that must end by `deadline`.
    func requestDrain(deadline: UInt64) {
        mailbox.withLock { box in
            guard !box.closed else { return }
            box.drainDeadline = deadline
            wakeLocked(&box)
        }
    }

    func waitUntilStopped() { stopped.wait() }

    /// Signals the eventfd while the lock is held, so the loop cannot close it underneath.
    private func wakeLocked(_ box: inout Mailbox) {
        if !box.wakeRequested {
            box.wakeRequested = true
            Syscall.signalEventFD(wakeFD)
        }
    }

    /// Runs on a worker thread: calls the handler and sends the encoded answer home.
    func perform(_ job: WorkerJob) {
        let response = context.responder.respond(to: job.request)
        let persistence = context.draining.load(ordering: .relaxed) ? .close : job.persistence
        var bytes: [UInt8] = []
        bytes.reserveCapacity(response.body.count + 256)
        let closeAfter = ResponseEncoder.encode(
            response, headRequest: job.request.method == "HEAD", persistence: persistence, into: &bytes)
        post(FinishedResponse(
            fd: job.fd, connectionID: job.connectionID, sequence: job.sequence, bytes: bytes, closeAfter: closeAfter))
    }

    // MARK: The loop

    func run() {
        while true {
            let count: Int
            do {
                count = try Syscall.epollWait(epollFD, events: eventBuffer, timeoutMilliseconds: timeout())
            } catch {
                Log.shared.error("http event loop stopped", ["loop": .int(index), "error": .string("\(error)")])
                break
            }
            now = MonotonicClock.now()
            for slot in 0..<count {
                let flags = eventBuffer[slot].events
                let token = eventBuffer[slot].data.u64
                switch token {
                case Token.wake: receiveMail()
                case Token.listener: acceptConnections()
                default: connectionEvent(fd: Int32(truncatingIfNeeded: token), flags: flags)
                }
            }
            if !readAgain.isEmpty {
                let turn = readAgain
                readAgain.removeAll(keepingCapacity: true)
                for (fd, id) in turn {
                    if let connection = connection(fd: fd, id: id) { service(connection) }
                }
            }
            if let retry = acceptRetryAt, now >= retry {
                acceptRetryAt = nil
                acceptConnections()
            }
            if now >= nextSweep { sweepDeadlines() }
            if let deadline = drainDeadline, connectionCount == 0 || now >= deadline { break }
        }
        tearDown()
    }

    private func timeout() -> Int32 {
        if !readAgain.isEmpty { return 0 }
        var wake = nextSweep
        if let retry = acceptRetryAt { wake = min(wake, retry) }
        if let deadline = drainDeadline { wake = min(wake, deadline) }
        guard wake != .max else { return 1000 }
        guard wake > now else { return 0 }
        return Int32(min(1000, (wake - now + 999_999) / 1_000_000))
    }

    func connection(fd: Int32, id: UInt64) -> Connection? {
        guard fd >= 0, Int(fd) < connections.count, let connection = connections[Int(fd)], connection.id == id
        else { return nil }
        return connection
    }

    private func connectionEvent(fd: Int32, flags: UInt32) {
        guard fd >= 0, Int(fd) < connections.count, let connection = connections[Int(fd)] else { return }
        if flags & (Epoll.input | Epoll.readHangUp | Epoll.hangUp | Epoll.error) != 0 {
            connection.socketReadable = true
        }
        service(connection)
    }

    private func receiveMail() {
        Syscall.drainEventFD(wakeFD)
        let drain = mailbox.withLock { box -> UInt64? in
            box.wakeRequested = false
            swap(&box.finished, &finishedScratch)
            swap(&box.accepted, &acceptedScratch)
            return box.drainDeadline
        }
        for (fd, peer) in acceptedScratch { register(fd: fd, peer: peer, counted: true) }
        acceptedScratch.removeAll(keepingCapacity: true)
        if let drain, drainDeadline == nil { startDraining(deadline: drain) }
        for finished in finishedScratch { deliver(finished) }
        finishedScratch.removeAll(keepingCapacity: true)
    }

    private func tearDown() {
        for case let connection? in connections { close(connection) }
        if listenerFD >= 0 {
            Syscall.close(listenerFD)
            listenerFD = -1
        }
        let orphans = mailbox.withLock { box in
            box.closed = true
            box.finished.removeAll()
            defer { box.accepted.removeAll() }
            Syscall.close(wakeFD)
            return box.accepted
        }
        for (fd, _) in orphans {
            Syscall.close(fd)
            context.releaseConnection()
        }
        Syscall.close(epollFD)
        stopped.open()
    }

    // MARK: Accepting

    private func acceptConnections() {
        while listenerFD >= 0 {
            let accepted: (fd: Int32, peer: SocketAddress)?
            do {
                accepted = try Syscall.accept(listenerFD)
            } catch {
                switch error.code {
                case ECONNABORTED, EPROTO, EPERM:
                    continue  // that one connection died in the backlog; others may be waiting
                default:
                    // Out of descriptors or memory: edge-triggered epoll will not
                    // repeat the event, so try again shortly.
                    acceptRetryAt = now + MonotonicClock.nanoseconds(0.1)
                    if now >= lastAcceptErrorLog + MonotonicClock.nanoseconds(10) {
                        lastAcceptErrorLog = now
                        Log.shared.error("http accept failed", ["error": .string(error.description)])
                    }
                    return
                }
            }
            guard let (fd, address) = accepted else { return }
            try? Syscall.setOption(fd, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
            let peer = address.description
            guard context.admitConnection() else {
                rejectBusy(fd: fd, peer: peer)
                continue
            }
            let target = peers[roundRobin % peers.count]
            roundRobin &+= 1
            if target === self {
                register(fd: fd, peer: peer, counted: true)
            } else if !target.handOff(fd: fd, peer: peer) {
                Syscall.close(fd)
                context.releaseConnection()
            }
        }
    }

    /// Over the cap: answer 503 at once and close, without reading a request.
    private func rejectBusy(fd: Int32, peer: String) {
        guard lingeringCount < max(64, context.configuration.maxConnections) else {
            Syscall.close(fd)
            return
        }
        guard let connection = register(fd: fd, peer: peer, counted: false) else { return }
        connection.refuseFurtherRequests()
        connection.closeAfterFlush = true
        _ = ResponseEncoder.encode(
            .problem(ProtocolProblem.tooManyConnections), headRequest: false, persistence: .close,
            into: &connection.output)
        service(connection)
    }

    @discardableResult
    private func register(fd: Int32, peer: String, counted: Bool) -> Connection? {
        guard drainDeadline == nil else {
            Syscall.close(fd)
            if counted { context.releaseConnection() }
            return nil
        }
        do {
            try Syscall.epollAdd(
                epollFD, fd, events: Epoll.input | Epoll.output | Epoll.readHangUp | Epoll.edgeTriggered,
                token: UInt64(fd))
        } catch {
            Syscall.close(fd)
            if counted { context.releaseConnection() }
            return nil
        }
        nextConnectionID &+= 1
        let connection = Connection(
            fd: fd, id: nextConnectionID, remoteAddress: peer, now: now, limits: context.limits, counted: counted)
        if Int(fd) >= connections.count {
            connections.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - connections.count))
        }
        connections[Int(fd)] = connection
        connectionCount += 1
        refreshDeadline(connection)
        return connection
    }

    // MARK: Deadlines and draining

    private func sweepDeadlines() {
        nextSweep = .max
        for slot in connections.indices {
            guard let connection = connections[slot] else { continue }
            if connection.deadline <= now {
                expire(connection)
            } else if connection.deadline < nextSweep {
                nextSweep = connection.deadline
            }
        }
    }

    private func startDraining(deadline: UInt64) {
        drainDeadline = deadline
        if listenerFD >= 0 {
            Syscall.close(listenerFD)
            listenerFD = -1
        }
        for case let connection? in connections {
            if connection.lingering {
                connection.lingerDeadline = min(connection.lingerDeadline, now + Self.drainingLingerTime, deadline)
                refreshDeadline(connection)
            }
            service(connection)
        }
    }

    /// Closes the descriptor and forgets the connection; in-flight worker answers for it are dropped on arrival.
    func close(_ connection: Connection) {
        guard connections[Int(connection.fd)] === connection else { return }
        connections[Int(connection.fd)] = nil
        connectionCount -= 1
        if connection.lingering { lingeringCount -= 1 }
        release(connection)
        connection.slots.removeAll()
        Syscall.close(connection.fd)
    }

    /// Gives back the connection's place under the cap (once).
    func release(_ connection: Connection) {
        if connection.counted {
            connection.counted = false
            context.releaseConnection()
        }
    }

    /// Half-closes after the last response and keeps reading (and dropping)
    /// for a short while. Closing at once with unread request bytes would
    /// make the kernel send RST, which can destroy the response we just wrote
    /// before the client reads it.
    func beginLingering(_ connection: Connection) -> Bool {
        release(connection)
        guard lingeringCount < max(64, context.configuration.maxConnections) else {
            close(connection)
            return false
        }
        lingeringCount += 1
        connection.lingering = true
        connection.parser.stop()
        var deadline = now + Self.lingerTime
        if let drainDeadline {
            // Shutting down: a client that got `connection: close` and FIN closes at once.
            deadline = min(now + Self.drainingLingerTime, drainDeadline)
        }
        connection.lingerDeadline = deadline
        Syscall.shutdownWrite(connection.fd)
        return true
    }
}
