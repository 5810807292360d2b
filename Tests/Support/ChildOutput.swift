import Foundation
import Glibc

/// One output pipe of a child process, read by a thread of its own from the
/// moment the child starts, so a chatty child never blocks on a full pipe.
/// Only the recent part is kept: a busy child logs every call.
final class ChildOutput: @unchecked Sendable {
    // @unchecked: `bytes`, `ended` and `closing` are only touched holding
    // `condition`; the pipe's read end belongs to the draining thread.
    private let condition = NSCondition()
    private var bytes: [UInt8] = []
    /// The pipe reached end of file (every writer is gone) or was closed.
    private var ended = false
    private var closing = false

    /// Starts draining `handle`, the read end of a pipe; the thread closes it when done.
    init(draining handle: FileHandle) {
        Thread.detachNewThread { [self] in drain(handle) }
    }

    var text: String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Waits until `found` finds something in what was read so far; nil if
    /// the pipe ended or `deadline` passed first. `found` runs holding the
    /// lock, so the drain waits while it looks.
    func wait<T>(until deadline: Date, for found: (String) -> T?) -> T? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let value = found(String(decoding: bytes, as: UTF8.self)) { return value }
            if ended || Date() >= deadline { return nil }
            _ = condition.wait(until: deadline)
        }
    }

    /// Waits (until `deadline`) for the end of the pipe; whether it came.
    @discardableResult
    func waitForEnd(until deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !ended, Date() < deadline { _ = condition.wait(until: deadline) }
        return ended
    }

    /// Stops reading and closes the read end: from now on the child's writes
    /// meet a pipe nobody reads (EPIPE, and SIGPIPE unless it ignores it).
    func close() {
        condition.lock()
        closing = true
        while !ended { condition.wait() }
        condition.unlock()
    }

    private var isClosing: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closing
    }

    private func drain(_ handle: FileHandle) {
        let descriptor = handle.fileDescriptor
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var readable = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        // poll with a timeout rather than a blocking read, so `close` is
        // seen even while the child is silent.
        while !isClosing {
            let ready = poll(&readable, 1, 50)
            if ready == 0 || (ready < 0 && errno == EINTR) { continue }
            guard ready > 0 else { break }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            guard count > 0 else { break }  // end of file: every writer is gone
            condition.lock()
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > 1 << 20 { bytes.removeFirst(bytes.count / 2) }
            condition.broadcast()
            condition.unlock()
        }
        try? handle.close()
        condition.lock()
        ended = true
        condition.broadcast()
        condition.unlock()
    }
}
