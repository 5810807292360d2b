import CCurl

/// What libcurl's header and body callbacks fill in during one transfer.
///
/// libcurl calls back on the thread running `curl_easy_perform`, which is
/// the thread that owns this object for the whole transfer, so no lock is
/// needed; it reaches the C callbacks as an unretained pointer
/// (`CURLOPT_WRITEDATA`/`HEADERDATA`) while `send` keeps it alive.
final class ResponseCollector {
    let limit: Int
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []
    /// Header and body bytes received so far, counted against `limit`.
    var receivedBytes = 0
    var exceededLimit = false

    init(limit: Int) {
        self.limit = limit
    }

    /// false (abort the transfer) once the response outgrows `limit`.
    private func admit(_ count: Int) -> Bool {
        receivedBytes += count
        if receivedBytes > limit {
            exceededLimit = true
            return false
        }
        return true
    }

    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard admit(bytes.count) else { return false }
        body.append(contentsOf: bytes)
        return true
    }

    /// One header line, CRLF included. A status line starts a new response
    /// (after `100 Continue`, or a retried request): headers so far belonged
    /// to another one.
    func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard admit(bytes.count) else { return false }
        var line = Substring(decoding: bytes, as: UTF8.self)
        while let last = line.last, last == "\r\n" || last == "\n" || last == "\r" { line.removeLast() }
        if line.hasPrefix("HTTP/") {
            headers.removeAll(keepingCapacity: true)
            return true
        }
        if line.isEmpty { return true }
        if let first = line.first, first == " " || first == "\t" {
            // obs-fold: a continuation of the previous field's value.
            if !headers.isEmpty {
                headers[headers.count - 1].value += " " + ResponseCollector.trimmed(line)
            }
            return true
        }
        guard let colon = line.firstIndex(of: ":") else { return true }
        headers.append((String(line[..<colon]), ResponseCollector.trimmed(line[line.index(after: colon)...])))
        return true
    }

    private static func trimmed(_ text: Substring) -> String {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }

    /// libcurl's `CURLOPT_WRITEFUNCTION`: a byte count other than the one
    /// given aborts the transfer with `CURLE_WRITE_ERROR`.
    static let bodyCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        data, size, count, context in
        let total = size * count
        guard let context else { return 0 }
        let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
        guard total > 0, let data else { return total }
        return collector.appendBody(UnsafeRawBufferPointer(start: data, count: total)) ? total : 0
    }

    static let headerCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        data, size, count, context in
        let total = size * count
        guard let context else { return 0 }
        let collector = Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue()
        guard total > 0, let data else { return total }
        return collector.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: total)) ? total : 0
    }
}
