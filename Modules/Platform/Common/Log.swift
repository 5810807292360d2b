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
        var line = "{\"ts\":"
        JSONText.appendString(Log.timestamp(), to: &line)
        line += ",\"level\":\"\(level)\",\"msg\":"
        JSONText.appendString(message, to: &line)
        for (key, value) in fields {
            line += ","
            JSONText.appendString(key, to: &line)
            line += ":"
            switch value {
            case .string(let text): JSONText.appendString(text, to: &line)
            case .int(let number): line += String(number)
            case .double(let number): line += number.isFinite ? String(number) : "null"
            case .bool(let flag): line += flag ? "true" : "false"
            }
        }
        line += "}\n"
        let full = buffer.withLock { bytes in
            bytes.append(contentsOf: line.utf8)
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
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + "\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }
}
