import Platform

/// Writes an `HTTPResponse` in HTTP/1.1 wire form into one byte buffer, so a
/// response normally leaves in a single `send`.
enum ResponseEncoder {
    /// Whether the connection stays open after this response.
    enum Persistence: Sendable {
        case keepAlive
        /// An HTTP/1.0 client asked for keep-alive and must be told it got it.
        case keepAliveHTTP10
        case close
    }

    static let continueInterim: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// `HTTP/1.1 <status> <reason>\r\n` for 100...599, built once.
    private static let statusLines: [[UInt8]] = (100...599).map { status in
        Array("HTTP/1.1 \(status) \(Problem.reasonPhrase(status))\r\n".utf8)
    }

    private static let contentLengthPrefix: [UInt8] = Array("content-length: ".utf8)
    private static let connectionClose: [UInt8] = Array("connection: close\r\n".utf8)
    private static let connectionKeepAlive: [UInt8] = Array("connection: keep-alive\r\n".utf8)

    /// Appends `response` to `out` and returns true when the connection must
    /// close after it: because `persistence` says so, or because the handler
    /// set `connection: close`.
    ///
    /// The handler's own `content-length`, `transfer-encoding` and
    /// `connection` fields are replaced by the server's, and fields that could
    /// split the response (CR, LF, NUL, a name that is not a token) are dropped.
    static func encode(
        _ response: HTTPResponse, headRequest: Bool, persistence: Persistence, into out: inout [UInt8]
    ) -> Bool {
        // A handler cannot send an interim or out-of-range status as its final answer.
        let status = (200...599).contains(response.status) ? response.status : 500
        out.append(contentsOf: statusLines[status - 100])

        var closing = persistence == .close
        var declaredLength: String?
        for (name, value) in response.headers.fields {
            if HTTPHeaders.equalsIgnoringCase(name, "connection") {
                if HTTPSyntax.listContainsToken(value, "close") { closing = true }
                continue
            }
            if HTTPHeaders.equalsIgnoringCase(name, "content-length") {
                declaredLength = value
                continue
            }
            if HTTPHeaders.equalsIgnoringCase(name, "transfer-encoding") { continue }
            guard isSafeField(name: name, value: value) else { continue }
            out.append(contentsOf: name.utf8)
            out.append(HTTPSyntax.colon)
            out.append(HTTPSyntax.space)
            out.append(contentsOf: value.utf8)
            out.append(HTTPSyntax.cr)
            out.append(HTTPSyntax.lf)
        }

        // 204 and 304 never carry a body; HEAD answers describe the body GET would send.
        let bodyless = status == 204 || status == 304
        if status != 204 {
            if (headRequest || status == 304), response.body.isEmpty, let declared = declaredLength,
                let length = Int(declared), length >= 0
            {
                appendContentLength(length, to: &out)
            } else if status != 304 {
                appendContentLength(response.body.count, to: &out)
            }
        }
        if closing {
            out.append(contentsOf: connectionClose)
        } else if persistence == .keepAliveHTTP10 {
            out.append(contentsOf: connectionKeepAlive)
        }
        out.append(HTTPSyntax.cr)
        out.append(HTTPSyntax.lf)
        if !headRequest && !bodyless {
            out.append(contentsOf: response.body)
        }
        return closing
    }

    private static func appendContentLength(_ length: Int, to out: inout [UInt8]) {
        out.append(contentsOf: contentLengthPrefix)
        appendDecimal(length, to: &out)
        out.append(HTTPSyntax.cr)
        out.append(HTTPSyntax.lf)
    }

    /// Decimal digits without going through `String`.
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value == 0 {
            out.append(0x30)
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var remaining = value.magnitude
        var count = 0
        withUnsafeMutableBytes(of: &digits) { scratch in
            while remaining > 0 {
                scratch[19 - count] = UInt8(remaining % 10) + 0x30
                remaining /= 10
                count += 1
            }
            out.append(contentsOf: scratch[(20 - count)...])
        }
    }

    private static func isSafeField(name: String, value: String) -> Bool {
        guard !name.isEmpty, name.utf8.allSatisfy(HTTPSyntax.isTokenByte) else { return false }
        return value.utf8.allSatisfy(HTTPSyntax.isFieldValueByte)
    }
}
