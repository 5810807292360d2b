import Foundation
import Synchronization

/// Structured JSON-lines logging to standard output.
///
/// Lines are appended to an in-memory buffer and written by a background
/// thread every 50 ms (or at once past 64 KiB), so a request never waits on a
/// `write(2)` to a slow terminal or pipe. `flush()` is called on shutdown.
///
///     Log.shared.info("listening", ["port": .int(8000)])
public final class Log: Sendable {
    public enum Value: Sendable {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
    }

    public static let shared = Log(fileDescriptor: STDOUT_FILENO)
    /// Drops every line: for tests and tools that must stay quiet.
    public static let discard = Log(fileDescriptor: -1)

    private let fileDescriptor: Int32
    private let buffer = Mutex<[UInt8]>([])
    private let flushThreshold = 64 * 1024

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        guard fileDescriptor >= 0 else { return }
        // Holds the log weakly so a discarded `Log` takes its thread with it.
        let thread = Thread { [weak self] in
            while let log = self {
                log.flush()
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        thread.name = "banyan-log"
        thread.start()
    }

    deinit { flush() }

    public func info(_ message: String, _ fields: KeyValuePairs<String, Value> = [:]) {
        emit(level: "info", message: message, fields: fields)
    }

    public func warning(_ message: String, _ fields: KeyValuePairs<String, Value> = [:]) {
        emit(level: "warning", message: message, fields: fields)
    }

    public func error(_ message: String, _ fields: KeyValuePairs<String, Value> = [:]) {
        emit(level: "error", message: message, fields: fields)
    }

    /// One line; `fields` may be built at run time (an array of pairs) when
    /// which fields a line has depends on what happened.
    public func emit<Fields: Collection>(level: String, message: String, fields: Fields)
    where Fields.Element == (key: String, value: Value) {
        guard fileDescriptor >= 0 else { return }
        // Built as bytes, not as a String: an access line is written per
        // request, and String appends (growth, interpolation, Double's
        // description) had made it a fifth of what answering `/health` costs.
        var line: [UInt8] = []
        line.reserveCapacity(384)
        line.append(contentsOf: #"{"ts":""#.utf8)
        Log.appendTimestamp(to: &line)
        line.append(contentsOf: #"","level":"#.utf8)
        JSONText.appendString(level, to: &line)
        line.append(contentsOf: #","msg":"#.utf8)
        JSONText.appendString(message, to: &line)
        for (key, value) in fields {
            line.append(0x2C)  // ,
            JSONText.appendString(key, to: &line)
            line.append(0x3A)  // :
            switch value {
            case .string(let text): JSONText.appendString(text, to: &line)
            case .int(let number): JSONText.appendInteger(number, to: &line)
            case .double(let number): JSONText.appendNumber(number, to: &line)
            case .bool(let flag): line.append(contentsOf: (flag ? "true" : "false").utf8)
            }
        }
        line.append(contentsOf: "}\n".utf8)
        let full = buffer.withLock { bytes in
            bytes.append(contentsOf: line)
            return bytes.count >= flushThreshold
        }
        if full { flush() }
    }

    /// Writes everything buffered so far.
    public func flush() {
        let pending = buffer.withLock { bytes -> [UInt8] in
            defer { bytes.removeAll(keepingCapacity: true) }
            return bytes
        }
        guard !pending.isEmpty else { return }
        pending.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // stdout is gone; logging must never take the process down
                }
                offset += written
            }
        }
    }

    /// RFC 3339 UTC with milliseconds, without DateFormatter's cost.
    /// Now, in UTC to the millisecond: `2026-12-02T05:11:25.042Z`.
    static func appendTimestamp(to out: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ width: Int, then separator: UInt8?) {
            var divisor: Int32 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(0x30 + UInt8(truncatingIfNeeded: (rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
            if let separator { out.append(separator) }
        }
        digits(parts.tm_year + 1900, 4, then: 0x2D)
        digits(parts.tm_mon + 1, 2, then: 0x2D)
        digits(parts.tm_mday, 2, then: 0x54)  // T
        digits(parts.tm_hour, 2, then: 0x3A)
        digits(parts.tm_min, 2, then: 0x3A)
        digits(parts.tm_sec, 2, then: 0x2E)
        digits(Int32(now.tv_nsec / 1_000_000), 3, then: 0x5A)  // Z
    }
}
