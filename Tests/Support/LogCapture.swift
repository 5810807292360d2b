import Foundation
import Glibc
import Platform

/// A `Log` whose lines a test can read back, parsed: give `log` to the code
/// under test, then ask `lines` for what it wrote.
package final class LogCapture: @unchecked Sendable {
    // @unchecked: `pending` and `parsed` are only touched under `lock`; the
    // descriptors are fixed at init.
    package let log: Log
    private let readEnd: Int32
    private let lock = NSLock()
    private var pending: [UInt8] = []
    private var parsed: [[String: JSONValue]] = []

    package init() {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "pipe: errno \(errno)")
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        // Room for a whole test's lines, so the log never waits for the test to read.
        _ = fcntl(fds[1], 1031 /* F_SETPIPE_SZ, which Glibc's module does not export */, 1 << 20)
        readEnd = fds[0]
        // The write end stays open for the process's life: the log's own
        // thread may still hold it after the test is done with the capture.
        log = Log(fileDescriptor: fds[1])
    }

    deinit { close(readEnd) }

    /// Every line written so far whose `msg` is `message` (all lines when
    /// nil), waiting up to `seconds` for at least `count` of them: the log
    /// writes from a background thread, so a line may be a moment late.
    package func lines(_ message: String? = nil, atLeast count: Int = 1, within seconds: Double = 5)
        -> [[String: JSONValue]]
    {
        log.flush()
        let deadline = Date(timeIntervalSinceNow: seconds)
        while true {
            let matching = readAvailable().filter { message == nil || $0["msg"] == .string(message!) }
            if matching.count >= count || Date() >= deadline { return matching }
            usleep(5_000)  // the log thread flushes every 50 ms; bounded by the deadline
        }
    }

    private func readAvailable() -> [[String: JSONValue]] {
        lock.lock()
        defer { lock.unlock() }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(readEnd, &buffer, buffer.count)
            guard count > 0 else { break }
            pending += buffer[..<count]
        }
        while let newline = pending.firstIndex(of: 0x0A) {
            let line = pending[..<newline]
            pending.removeSubrange(...newline)
            if case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(line)) {
                parsed.append(members)
            }
        }
        return parsed
    }
}
