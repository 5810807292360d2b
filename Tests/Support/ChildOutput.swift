import Foundation

/// What a child process printed (a service, the processor simulator),
/// appended by the thread that drains its pipe and read by the test. Only
/// the recent part is kept: a busy child logs every call.
package final class ChildOutput: @unchecked Sendable {
    // @unchecked: every access to `bytes` holds `lock`.
    private let lock = NSLock()
    private var bytes = Data()

    package init() {}

    package func append(_ chunk: Data) {
        lock.lock()
        bytes.append(chunk)
        if bytes.count > 1 << 20 { bytes.removeFirst(bytes.count / 2) }
        lock.unlock()
    }

    package var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The `port` of the first JSON log line whose `msg` is `message`
    /// (how Banyan's executables say they listen), if printed yet.
    package func listeningPort(announcedAs message: String) -> Int? {
        for line in text.split(separator: "\n") {
            guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                entry["msg"] as? String == message
            else { continue }
            return entry["port"] as? Int
        }
        return nil
    }
}
