// A raw TCP client for tests that must send exactly the bytes they mean:
// malformed requests, pipelined batches, slow dribbles, half-closes. Every
// wait has a deadline, so a server bug fails a test instead of hanging it.
import Foundation
import Glibc

/// One HTTP response as it came off the wire.
public struct RawHTTPResponse: Sendable {
    public var status: Int
    public var reason: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    /// The first value of `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// True when the server said it will close the connection.
    public var closesConnection: Bool {
        header("connection")?.lowercased().contains("close") ?? false
    }
}

public enum RawHTTPError: Error, Equatable, CustomStringConvertible {
    case connectFailed(errno: Int32)
    case sendFailed(errno: Int32)
    case receiveFailed(errno: Int32)
    /// The deadline passed; `received` is what had arrived by then.
    case timedOut(received: Int)
    /// The server closed before a complete response arrived.
    case closedEarly(received: [UInt8])
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .connectFailed(let code): "connect failed: \(String(cString: strerror(code)))"
        case .sendFailed(let code): "send failed: \(String(cString: strerror(code)))"
        case .receiveFailed(let code): "receive failed: \(String(cString: strerror(code)))"
        case .timedOut(let received): "timed out after receiving \(received) bytes"
        case .closedEarly(let received): "connection closed after \(received.count) bytes: \(String(decoding: received, as: UTF8.self))"
        case .malformedResponse(let why): "malformed response: \(why)"
        }
    }
}

/// A blocking-with-deadlines HTTP/1.1 client over one TCP connection to
/// `127.0.0.1:port`, for tests.
///
///     let connection = try RawHTTPConnection(port: server.port)
///     try connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
///     let response = try connection.readResponse()
///     #expect(response.status == 200)
///
/// Not thread-safe: use one connection from one thread at a time.
public final class RawHTTPConnection {
    private var fd: Int32
    /// Bytes received but not yet returned as a response.
    private var pending: [UInt8] = []
    /// The server closed its side (we read end-of-file).
    public private(set) var receivedEndOfFile = false

    public init(port: Int, host: String = "127.0.0.1", timeout: Double = 5) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw RawHTTPError.connectFailed(errno: EINVAL) }
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw RawHTTPError.connectFailed(errno: errno) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            let code = errno
            guard code == EINPROGRESS else {
                Glibc.close(fd)
                fd = -1
                throw RawHTTPError.connectFailed(errno: code)
            }
            guard wait(for: Int16(POLLOUT), deadline: Self.deadline(after: timeout)) else {
                Glibc.close(fd)
                fd = -1
                throw RawHTTPError.connectFailed(errno: ETIMEDOUT)
            }
            var failure: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length)
            if failure != 0 {
                Glibc.close(fd)
                fd = -1
                throw RawHTTPError.connectFailed(errno: failure)
            }
        }
    }

    deinit { close() }

    /// The local port of this connection (what the server sees as the peer's port).
    public var localPort: Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    // MARK: Sending

    public func send(_ text: String, timeout: Double = 5) throws {
        try send(Array(text.utf8), timeout: timeout)
    }

    /// Sends every byte, waiting (up to `timeout`) while the server is not reading.
    public func send(_ bytes: [UInt8], timeout: Double = 5) throws {
        let deadline = Self.deadline(after: timeout)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent >= 0 {
                offset += sent
                continue
            }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK:
                guard wait(for: Int16(POLLOUT), deadline: deadline) else { throw RawHTTPError.timedOut(received: offset) }
            default: throw RawHTTPError.sendFailed(errno: code)
            }
        }
    }

    /// Sends `text` one byte at a time, `interval` seconds apart (a slowloris
    /// client). Stops early, without throwing, once the server answers or closes.
    /// Returns how many bytes were sent.
    @discardableResult
    public func dribble(_ text: String, interval: Double) -> Int {
        var sent = 0
        for byte in text.utf8 {
            guard !hasIncomingData(), (try? send([byte], timeout: 1)) != nil else { break }
            sent += 1
            _ = wait(for: Int16(POLLIN), deadline: Self.deadline(after: interval))
        }
        return sent
    }

    /// True when the server has sent something (or closed) that was not read yet.
    public func hasIncomingData() -> Bool {
        if !pending.isEmpty || receivedEndOfFile { return true }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, 0) > 0
    }

    /// Half-closes: the server reads end-of-file, we can still read.
    public func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    public func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    // MARK: Receiving

    /// Reads one complete response (an interim `100 Continue` counts as one).
    /// Set `bodyless` for the answer to a HEAD request.
    public func readResponse(timeout: Double = 5, bodyless: Bool = false) throws -> RawHTTPResponse {
        let deadline = Self.deadline(after: timeout)
        while true {
            switch try Self.parseResponse(pending, atEndOfFile: receivedEndOfFile, bodyless: bodyless) {
            case .complete(let response, let consumed):
                pending.removeFirst(consumed)
                return response
            case .incomplete:
                if receivedEndOfFile { throw RawHTTPError.closedEarly(received: pending) }
                try receive(deadline: deadline)
            }
        }
    }

    public func readResponses(_ count: Int, timeout: Double = 5) throws -> [RawHTTPResponse] {
        let deadline = Self.deadline(after: timeout)
        var responses: [RawHTTPResponse] = []
        while responses.count < count {
            responses.append(try readResponse(timeout: max(0, Self.secondsUntil(deadline))))
        }
        return responses
    }

    /// Reads until the server closes; returns everything not yet returned as a response.
    /// Throws `timedOut` if the connection is still open at the deadline.
    public func readUntilClose(timeout: Double = 5) throws -> [UInt8] {
        let deadline = Self.deadline(after: timeout)
        while !receivedEndOfFile {
            try receive(deadline: deadline)
        }
        defer { pending = [] }
        return pending
    }

    /// True when the server closes the connection within `timeout` (a reset counts as closed).
    public func waitForClose(timeout: Double = 5) -> Bool {
        do {
            _ = try readUntilClose(timeout: timeout)
            return true
        } catch RawHTTPError.receiveFailed {
            return true
        } catch {
            return false
        }
    }

    /// Waits for at least one more byte (or end-of-file) until `deadline`.
    private func receive(deadline: Double) throws {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                pending.append(contentsOf: chunk[0..<count])
                return
            }
            if count == 0 {
                receivedEndOfFile = true
                return
            }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK:
                guard wait(for: Int16(POLLIN), deadline: deadline) else {
                    throw RawHTTPError.timedOut(received: pending.count)
                }
            default:
                throw RawHTTPError.receiveFailed(errno: code)
            }
        }
    }

    private func wait(for events: Int16, deadline: Double) -> Bool {
        while true {
            let remaining = Self.secondsUntil(deadline)
            guard remaining > 0 else { return false }
            var poller = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining * 1000 + 1, 60_000)))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }  // let the next call report the error
        }
    }

    // MARK: Parsing

    public enum ParseResult {
        case complete(RawHTTPResponse, consumed: Int)
        case incomplete
    }

    /// Parses the first response in `bytes`. A body without length or chunking
    /// runs to end-of-file, so it is complete only when `atEndOfFile`.
    public static func parseResponse(_ bytes: [UInt8], atEndOfFile: Bool, bodyless: Bool = false) throws -> ParseResult {
        guard let headEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: bytes, from: 0) else { return .incomplete }
        let headText = String(decoding: bytes[0..<headEnd], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw RawHTTPError.malformedResponse("status line `\(statusLine)`")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw RawHTTPError.malformedResponse("header `\(line)`") }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = RawHTTPResponse(
            status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers, body: [])
        let bodyStart = headEnd + 4
        if bodyless || (100..<200).contains(status) || status == 204 || status == 304 {
            return .complete(response, consumed: bodyStart)
        }
        if response.header("transfer-encoding")?.lowercased() == "chunked" {
            var index = bodyStart
            var body: [UInt8] = []
            while true {
                guard let lineEnd = find([0x0D, 0x0A], in: bytes, from: index) else { return .incomplete }
                let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";")[0]
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                    throw RawHTTPError.malformedResponse("chunk size `\(sizeText)`")
                }
                index = lineEnd + 2
                if size == 0 {
                    // Skip trailers up to the empty line.
                    while true {
                        guard let end = find([0x0D, 0x0A], in: bytes, from: index) else { return .incomplete }
                        let empty = end == index
                        index = end + 2
                        if empty { break }
                    }
                    response.body = body
                    return .complete(response, consumed: index)
                }
                guard bytes.count >= index + size + 2 else { return .incomplete }
                body.append(contentsOf: bytes[index..<(index + size)])
                index += size + 2
            }
        }
        if let lengthText = response.header("content-length") {
            guard let length = Int(lengthText), length >= 0 else {
                throw RawHTTPError.malformedResponse("content-length `\(lengthText)`")
            }
            guard bytes.count >= bodyStart + length else { return .incomplete }
            response.body = Array(bytes[bodyStart..<(bodyStart + length)])
            return .complete(response, consumed: bodyStart + length)
        }
        guard atEndOfFile else { return .incomplete }
        response.body = Array(bytes[bodyStart...])
        return .complete(response, consumed: bytes.count)
    }

    /// Every complete response in `bytes` (as read until the server closed).
    public static func parseResponses(_ bytes: [UInt8]) throws -> [RawHTTPResponse] {
        var remaining = bytes
        var responses: [RawHTTPResponse] = []
        while !remaining.isEmpty, case .complete(let response, let consumed) = try parseResponse(remaining, atEndOfFile: true) {
            responses.append(response)
            remaining.removeFirst(consumed)
        }
        return responses
    }

    /// Request bytes with `Host` and, when there is a body, `Content-Length`.
    public static func request(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) -> [UInt8] {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty { text += "Content-Length: \(body.count)\r\n" }
        text += "\r\n"
        return Array(text.utf8) + body
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for index in start...(bytes.count - needle.count) where bytes[index] == needle[0] {
            if bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
        }
        return nil
    }

    private static func deadline(after seconds: Double) -> Double { now() + seconds }

    private static func secondsUntil(_ deadline: Double) -> Double { deadline - now() }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
