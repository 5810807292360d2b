// The one file that talks to the kernel. Every call retries EINTR, reports
// EAGAIN/EWOULDBLOCK as a value (`.wouldBlock`), reads `errno` right after the
// call that set it, and treats EBADF/EFAULT as programmer errors: they mean
// this process closed or freed something it still uses, which no input from
// a client can cause.
//
// CLinux exists because Glibc's module map leaves out epoll, eventfd and accept4.
import CLinux
import Glibc

/// A failed system call: which call, and the `errno` it left.
struct SystemCallError: Error, CustomStringConvertible {
    let call: String
    let code: Int32

    var description: String { "\(call) failed: \(String(cString: strerror(code))) (errno \(code))" }
}

/// The outcome of a non-blocking read or write.
enum IOResult: Equatable {
    /// Bytes moved; for a read, 0 means the peer closed its side.
    case processed(Int)
    case wouldBlock
}

enum Epoll {
    /// One slot of the kernel's event list; packed on x86_64, which the C
    /// importer's layout already accounts for.
    typealias Event = epoll_event

    static let input = EPOLLIN.rawValue
    static let output = EPOLLOUT.rawValue
    static let error = EPOLLERR.rawValue
    static let hangUp = EPOLLHUP.rawValue
    static let readHangUp = EPOLLRDHUP.rawValue
    static let edgeTriggered = EPOLLET.rawValue
}

enum Syscall {
    /// Runs `call` until it stops failing with EINTR.
    @inline(__always)
    private static func retrying(_ name: String, _ call: () -> Int) throws(SystemCallError) -> IOResult {
        while true {
            let result = call()
            if result >= 0 { return .processed(result) }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case EBADF, EFAULT: preconditionFailure("\(name): \(SystemCallError(call: name, code: code))")
            default: throw SystemCallError(call: name, code: code)
            }
        }
    }

    @inline(__always)
    private static func mustSucceed(_ name: String, _ call: () -> Int32) throws(SystemCallError) -> Int32 {
        switch try retrying(name, { Int(call()) }) {
        case .processed(let value): return Int32(value)
        case .wouldBlock: throw SystemCallError(call: name, code: EAGAIN)
        }
    }

    // MARK: Sockets

    static func socket(family: Int32) throws(SystemCallError) -> Int32 {
        try mustSucceed("socket") {
            Glibc.socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
    }

    static func setOption(_ fd: Int32, level: Int32, name: Int32, value: Int32) throws(SystemCallError) {
        var value = value
        _ = try mustSucceed("setsockopt") {
            setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    static func bind(_ fd: Int32, address: SocketAddress) throws(SystemCallError) {
        var storage = address.storage
        _ = try mustSucceed("bind") {
            withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, address.length) }
            }
        }
    }

    static func listen(_ fd: Int32, backlog: Int32) throws(SystemCallError) {
        _ = try mustSucceed("listen") { Glibc.listen(fd, backlog) }
    }

    static func localAddress(_ fd: Int32) throws(SystemCallError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try mustSucceed("getsockname") {
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
        }
        return SocketAddress(storage: storage, length: length)
    }

    /// A new non-blocking connection and its peer, or nil when none is waiting.
    static func accept(_ fd: Int32) throws(SystemCallError) -> (fd: Int32, peer: SocketAddress)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = try retrying("accept4") {
            Int(withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    banyan_accept4(fd, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            })
        }
        switch result {
        case .processed(let connection): return (Int32(connection), SocketAddress(storage: storage, length: length))
        case .wouldBlock: return nil
        }
    }

    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemCallError) -> IOResult {
        try retrying("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// Sends without raising SIGPIPE when the peer has gone.
    static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemCallError) -> IOResult {
        try retrying("send") { Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Half-closes: the peer reads end-of-file after what was already sent.
    static func shutdownWrite(_ fd: Int32) {
        // ENOTCONN when the peer already reset is expected and harmless.
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    static func close(_ fd: Int32) {
        // Linux releases the descriptor even when close reports EINTR, so never retry.
        if Glibc.close(fd) != 0 && errno == EBADF {
            preconditionFailure("close(\(fd)): descriptor was not open")
        }
    }

    // MARK: epoll and eventfd

    static func epollCreate() throws(SystemCallError) -> Int32 {
        try mustSucceed("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
    }

    /// Registers `fd` for `events`; `token` comes back with every event.
    static func epollAdd(_ epoll: Int32, _ fd: Int32, events: UInt32, token: UInt64) throws(SystemCallError) {
        var event = epoll_event(events: events, data: epoll_data_t(u64: token))
        _ = try mustSucceed("epoll_ctl") { epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) }
    }

    static func epollRemove(_ epoll: Int32, _ fd: Int32) {
        // Closing the descriptor removes it too; this only matters for shared descriptors.
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil)
    }

    /// Waits up to `timeoutMilliseconds` and returns how many events were written to `events`.
    static func epollWait(
        _ epoll: Int32, events: UnsafeMutableBufferPointer<Epoll.Event>, timeoutMilliseconds: Int32
    ) throws(SystemCallError) -> Int {
        // EINTR ends the wait early, which is fine: the loop recomputes its timeout.
        let result = epoll_wait(epoll, events.baseAddress, Int32(events.count), timeoutMilliseconds)
        if result >= 0 { return Int(result) }
        let code = errno
        if code == EINTR { return 0 }
        throw SystemCallError(call: "epoll_wait", code: code)
    }

    static func eventFD() throws(SystemCallError) -> Int32 {
        try mustSucceed("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
    }

    /// Adds one to the counter, waking whoever polls it.
    static func signalEventFD(_ fd: Int32) {
        var one: UInt64 = 1
        // EAGAIN means the counter is saturated: the reader is awake anyway.
        _ = try? retrying("write") { Glibc.write(fd, &one, 8) }
    }

    /// Resets the counter to zero.
    static func drainEventFD(_ fd: Int32) {
        var value: UInt64 = 0
        _ = try? retrying("read") { Glibc.read(fd, &value, 8) }
    }
}
