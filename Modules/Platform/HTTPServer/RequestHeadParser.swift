import Glibc
import Platform

/// The limits a request must respect, from `HTTPServerConfiguration`.
struct RequestLimits: Sendable {
    var maxHeaderBytes: Int
    var maxHeaderCount: Int
    var maxBodyBytes: Int

    init(maxHeaderBytes: Int, maxHeaderCount: Int, maxBodyBytes: Int) {
        self.maxHeaderBytes = max(64, maxHeaderBytes)
        self.maxHeaderCount = max(1, maxHeaderCount)
        self.maxBodyBytes = max(0, maxBodyBytes)
    }

    init(_ configuration: HTTPServerConfiguration) {
        self.init(
            maxHeaderBytes: configuration.maxHeaderBytes, maxHeaderCount: configuration.maxHeaderCount,
            maxBodyBytes: configuration.maxBodyBytes)
    }
}

/// How a request's body is delimited, as its head declares.
enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
}

/// A request head, validated, with what the connection needs to know about it.
struct ParsedHead {
    var request: HTTPRequest
    var framing: BodyFraming
    var keepAlive: Bool
    var isHTTP10: Bool
    var expectsContinue: Bool
}

/// Parses a complete request head (request line, fields, empty line) and
/// rejects everything RFC 9112 says a server must not guess at: that is how
/// request smuggling is refused (Content-Length with Transfer-Encoding,
/// conflicting lengths, codings other than chunked, obs-fold).
enum RequestHeadParser {
    private static let knownMethods: [(StaticString, String)] = [
        ("GET", "GET"), ("HEAD", "HEAD"), ("POST", "POST"), ("PUT", "PUT"),
        ("DELETE", "DELETE"), ("PATCH", "PATCH"), ("OPTIONS", "OPTIONS"),
    ]

    struct RequestLine {
        var method: String
        var target: Range<Int>
        var isHTTP10: Bool
    }

    /// Validates the request line `head[line]` (without its line ending).
    static func parseRequestLine(_ head: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Result<RequestLine, Problem> {
        var index = line.lowerBound
        while index < line.upperBound && head[index] != HTTPSyntax.space { index += 1 }
        let methodBytes = UnsafeBufferPointer(rebasing: head[line.lowerBound..<index])
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(HTTPSyntax.isTokenByte) else {
            return .failure(ProtocolProblem.malformed("The request line is not `method target version`."))
        }
        guard let method = knownMethod(methodBytes) else {
            return .failure(ProtocolProblem.malformed("The request method is not one this server implements."))
        }
        let targetStart = index + 1
        var targetEnd = targetStart
        while targetEnd < line.upperBound && head[targetEnd] != HTTPSyntax.space { targetEnd += 1 }
        guard targetEnd < line.upperBound, targetEnd > targetStart else {
            return .failure(ProtocolProblem.malformed("The request line is not `method target version`."))
        }
        for byte in head[targetStart..<targetEnd] where byte < 0x21 || byte > 0x7E || byte == 0x23 {
            return .failure(ProtocolProblem.malformed("The request target contains a byte that must be percent-encoded."))
        }
        let version = UnsafeBufferPointer(rebasing: head[(targetEnd + 1)..<line.upperBound])
        switch versionOf(version) {
        case .http11: return .success(RequestLine(method: method, target: targetStart..<targetEnd, isHTTP10: false))
        case .http10: return .success(RequestLine(method: method, target: targetStart..<targetEnd, isHTTP10: true))
        case .unsupported: return .failure(ProtocolProblem.versionNotSupported)
        case .invalid: return .failure(ProtocolProblem.malformed("The request line does not end in an HTTP version."))
        }
    }

    /// Parses `head`, which runs from the request line through the empty line.
    static func parse(_ head: UnsafeBufferPointer<UInt8>, limits: RequestLimits) -> Result<ParsedHead, Problem> {
        if head.count > limits.maxHeaderBytes { return .failure(ProtocolProblem.headerTooLarge) }
        var lines = LineIterator(head)
        guard let requestLineRange = lines.next() else {
            return .failure(ProtocolProblem.malformed("The request has no request line."))
        }
        let requestLine: RequestLine
        switch parseRequestLine(head, requestLineRange) {
        case .success(let parsed): requestLine = parsed
        case .failure(let problem): return .failure(problem)
        }

        var headers = HTTPHeaders()
        var contentLength: Int?
        var transferEncodingCount = 0
        var chunked = false
        var hostCount = 0
        var connectionClose = false
        var connectionKeepAlive = false
        var expectsContinue = false

        while let line = lines.next() {
            if line.isEmpty { break }
            if headers.count >= limits.maxHeaderCount { return .failure(ProtocolProblem.tooManyHeaders) }
            if HTTPSyntax.isWhitespace(head[line.lowerBound]) {
                return .failure(ProtocolProblem.malformed("Header fields may not be folded over several lines."))
            }
            var colon = line.lowerBound
            while colon < line.upperBound && HTTPSyntax.isTokenByte(head[colon]) { colon += 1 }
            guard colon < line.upperBound, head[colon] == HTTPSyntax.colon, colon > line.lowerBound else {
                return .failure(ProtocolProblem.malformed("A header field is not `name: value`."))
            }
            var valueStart = colon + 1, valueEnd = line.upperBound
            while valueStart < valueEnd && HTTPSyntax.isWhitespace(head[valueStart]) { valueStart += 1 }
            while valueEnd > valueStart && HTTPSyntax.isWhitespace(head[valueEnd - 1]) { valueEnd -= 1 }
            for byte in head[valueStart..<valueEnd] where !HTTPSyntax.isFieldValueByte(byte) {
                return .failure(ProtocolProblem.malformed("A header value contains a control character."))
            }
            let name = UnsafeBufferPointer(rebasing: head[line.lowerBound..<colon])
            let value = UnsafeBufferPointer(rebasing: head[valueStart..<valueEnd])

            switch name.count {
            case 4 where HTTPSyntax.equalsIgnoringCase(name, "host"):
                hostCount += 1
            case 6 where HTTPSyntax.equalsIgnoringCase(name, "expect"):
                if HTTPSyntax.equalsIgnoringCase(value, "100-continue") { expectsContinue = true }
            case 10 where HTTPSyntax.equalsIgnoringCase(name, "connection"):
                if HTTPSyntax.listContainsToken(value, "close") { connectionClose = true }
                if HTTPSyntax.listContainsToken(value, "keep-alive") { connectionKeepAlive = true }
            case 14 where HTTPSyntax.equalsIgnoringCase(name, "content-length"):
                guard let length = parseContentLength(value), contentLength == nil || contentLength == length else {
                    return .failure(ProtocolProblem.malformed("Content-Length is not one non-negative decimal number."))
                }
                contentLength = length
            case 17 where HTTPSyntax.equalsIgnoringCase(name, "transfer-encoding"):
                transferEncodingCount += 1
                chunked = HTTPSyntax.equalsIgnoringCase(value, "chunked")
            default:
                break
            }
            headers.add(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
        }

        if transferEncodingCount > 0 {
            guard contentLength == nil else {
                return .failure(ProtocolProblem.malformed("A request may not carry both Content-Length and Transfer-Encoding."))
            }
            guard transferEncodingCount == 1, chunked, !requestLine.isHTTP10 else {
                return .failure(ProtocolProblem.malformed("The only transfer coding accepted is a single `chunked`."))
            }
        }
        // RFC 9112 §3.2: an HTTP/1.1 request needs exactly one Host field.
        if !requestLine.isHTTP10 && hostCount != 1 {
            return .failure(ProtocolProblem.malformed("An HTTP/1.1 request needs exactly one Host header field."))
        }

        let target = UnsafeBufferPointer(rebasing: head[requestLine.target])
        let path: String, query: String, targetText = String(decoding: target, as: UTF8.self)
        if target.count == 1 && target[0] == 0x2A {  // `*`
            guard requestLine.method == "OPTIONS" else {
                return .failure(ProtocolProblem.malformed("The `*` target is only valid for OPTIONS."))
            }
            path = "*"
            query = ""
        } else {
            guard target[0] == 0x2F else {  // origin-form only: no absolute-form, no authority-form
                return .failure(ProtocolProblem.malformed("The request target must be a path starting with `/`."))
            }
            let questionMark = target.firstIndex(of: 0x3F)
            let rawPath = questionMark.map { String(decoding: UnsafeBufferPointer(rebasing: target[..<$0]), as: UTF8.self) }
                ?? targetText
            query = questionMark.map { String(decoding: UnsafeBufferPointer(rebasing: target[($0 + 1)...]), as: UTF8.self) }
                ?? ""
            guard let decoded = PercentDecoding.decode(rawPath), !decoded.utf8.contains(0) else {
                return .failure(ProtocolProblem.malformed("The request path is not valid percent-encoded UTF-8."))
            }
            path = decoded
        }

        let framing: BodyFraming = chunked ? .chunked : (contentLength.map { $0 > 0 ? .length($0) : .none } ?? .none)
        let keepAlive = requestLine.isHTTP10 ? (connectionKeepAlive && !connectionClose) : !connectionClose
        let request = HTTPRequest(method: requestLine.method, target: targetText, path: path, query: query, headers: headers)
        return .success(ParsedHead(
            request: request, framing: framing, keepAlive: keepAlive, isHTTP10: requestLine.isHTTP10,
            expectsContinue: expectsContinue && !requestLine.isHTTP10 && framing != .none))
    }

    /// Decimal, optionally a list of identical values (`5, 5`, which RFC 9110
    /// allows); saturates instead of overflowing so a huge value reads as "too large".
    static func parseContentLength(_ value: UnsafeBufferPointer<UInt8>) -> Int? {
        var result: Int?
        for element in HTTPSyntax.listElements(value) {
            guard !element.isEmpty else { return nil }
            var number = 0
            for byte in value[element] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                let (shifted, overflow1) = number.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = shifted.addingReportingOverflow(Int(byte - 0x30))
                number = overflow1 || overflow2 ? Int.max : sum
            }
            if let earlier = result, earlier != number { return nil }
            result = number
        }
        return result
    }

    private static func knownMethod(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        for (literal, name) in knownMethods where literal.utf8CodeUnitCount == bytes.count {
            if memcmp(literal.utf8Start, bytes.baseAddress!, bytes.count) == 0 { return name }
        }
        return nil
    }

    private enum Version { case http10, http11, unsupported, invalid }

    private static func versionOf(_ bytes: UnsafeBufferPointer<UInt8>) -> Version {
        // HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive.
        guard bytes.count == 8, bytes[0] == 0x48, bytes[1] == 0x54, bytes[2] == 0x54, bytes[3] == 0x50,
            bytes[4] == 0x2F, bytes[6] == 0x2E, (0x30...0x39).contains(bytes[5]), (0x30...0x39).contains(bytes[7])
        else { return .invalid }
        guard bytes[5] == 0x31 else { return .unsupported }
        switch bytes[7] {
        case 0x31: return .http11
        case 0x30: return .http10
        default: return .unsupported
        }
    }
}

/// Lines of a head as ranges without their CRLF (or bare LF) ending.
/// A CR anywhere else makes the head malformed; the scanner rejects that first.
struct LineIterator {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func next() -> Range<Int>? {
        guard position < bytes.count else { return nil }
        var end = position
        while end < bytes.count && bytes[end] != HTTPSyntax.lf { end += 1 }
        let next = end + 1
        if end > position && bytes[end - 1] == HTTPSyntax.cr { end -= 1 }
        defer { position = next }
        return position..<end
    }
}
