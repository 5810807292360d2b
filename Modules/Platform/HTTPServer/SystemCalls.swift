// The one file that talks to the kernel. Every call retries EINTR, reports
// EAGAIN/EWOULDBLOCK as a value (`.wouldBlock`), reads `errno` right after the
// call that set it, and treats EBADF/EFAULT as programmer errors: they mean
// this process closed or freed something it still uses, which no input from
// a client can cause.
//
// Swift's Glibc module does not include <sys/epoll.h>, <sys/eventfd.h> or the
// GNU `accept4`, and the package has no C shim for this target, so those four
// functions are looked up once with `dlsym` and called through typed
// `@convention(c)` pointers. The constants below are the stable Linux ABI values.
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
    static let input: UInt32 = 0x001
    static let output: UInt32 = 0x004
    static let error: UInt32 = 0x008
    static let hangUp: UInt32 = 0x010
    static let readHangUp: UInt32 = 0x2000
    static let edgeTriggered: UInt32 = 1 << 31

    static let add: Int32 = 1
    static let delete: Int32 = 2

    /// `struct epoll_event` is packed on x86_64 (12 bytes) and naturally
    /// aligned elsewhere (16 bytes, data at offset 8).
    #if arch(x86_64)
    static let eventStride = 12
    static let dataOffset = 4
    #else
    static let eventStride = 16
    static let dataOffset = 8
    #endif
}

enum Syscall {
    private typealias EpollCreate1 = @convention(c) (Int32) -> Int32
    private typealias EpollCtl = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    private typealias EpollWait = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32
    private typealias EventFD = @convention(c) (UInt32, Int32) -> Int32
    private typealias Accept4 = @convention(c) (
        Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32
    ) -> Int32

    /// The libc entry points Glibc's module map leaves out, resolved once.
    private struct LinuxEntryPoints: @unchecked Sendable {
        // Safe: plain C function pointers, written once during static
        // initialisation (which Swift runs exactly once) and only read after.
        let epollCreate1: EpollCreate1
        let epollCtl: EpollCtl
        let epollWait: EpollWait
        let eventFD: EventFD
        let accept4: Accept4

        init() {
            let process = dlopen(nil, RTLD_NOW)
            func resolve<T>(_ name: String, as type: T.Type) -> T {
                guard let symbol = dlsym(process, name) else {
                    fatalError("libc has no \(name); Banyan's HTTP server needs Linux")
                }
                return unsafeBitCast(symbol, to: type)
            }
            epollCreate1 = resolve("epoll_create1", as: EpollCreate1.self)
            epollCtl = resolve("epoll_ctl", as: EpollCtl.self)
            epollWait = resolve("epoll_wait", as: EpollWait.self)
            eventFD = resolve("eventfd", as: EventFD.self)
            accept4 = resolve("accept4", as: Accept4.self)
        }
    }

    private static let linux = LinuxEntryPoints()

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
                    linux.accept4(fd, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
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
        try mustSucceed("epoll_create1") { linux.epollCreate1(O_CLOEXEC) }
    }

    /// Registers `fd` for `events`; `token` comes back with every event.
    static func epollAdd(_ epoll: Int32, _ fd: Int32, events: UInt32, token: UInt64) throws(SystemCallError) {
        var event = (UInt64(0), UInt64(0))  // 16 bytes: room for either layout
        _ = try mustSucceed("epoll_ctl") {
            withUnsafeMutableBytes(of: &event) { raw in
                raw.storeBytes(of: events, toByteOffset: 0, as: UInt32.self)
                raw.storeBytes(of: token, toByteOffset: Epoll.dataOffset, as: UInt64.self)
                return linux.epollCtl(epoll, Epoll.add, fd, raw.baseAddress)
            }
        }
    }

    static func epollRemove(_ epoll: Int32, _ fd: Int32) {
        // Closing the descriptor removes it too; this only matters for shared descriptors.
        _ = linux.epollCtl(epoll, Epoll.delete, fd, nil)
    }

    /// Waits up to `timeoutMilliseconds` and returns how many events were written to `events`.
    static func epollWait(
        _ epoll: Int32, events: UnsafeMutableRawBufferPointer, timeoutMilliseconds: Int32
    ) throws(SystemCallError) -> Int {
        let capacity = Int32(events.count / Epoll.eventStride)
        // EINTR ends the wait early, which is fine: the loop recomputes its timeout.
        let result = linux.epollWait(epoll, events.baseAddress, capacity, timeoutMilliseconds)
        if result >= 0 { return Int(result) }
        let code = errno
        if code == EINTR { return 0 }
        throw SystemCallError(call: "epoll_wait", code: code)
    }

    static func eventFD() throws(SystemCallError) -> Int32 {
        try mustSucceed("eventfd") { linux.eventFD(0, O_NONBLOCK | O_CLOEXEC) }
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
