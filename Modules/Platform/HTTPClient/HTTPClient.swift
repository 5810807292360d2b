import CCurl

/// A blocking HTTP/1.1 client on libcurl, for service-to-service calls.
///
/// `send` blocks its thread until the response is complete or a timeout
/// passes, so call it from worker threads (the HTTP server's pool), not
/// from Swift's cooperative thread pool. Each thread keeps its own libcurl
/// handle and with it warm keep-alive connections; redirects are never
/// followed, proxy settings in the environment are ignored, and only `http`
/// and `https` URLs are accepted.
///
///     let response = try HTTPClient.shared.send(
///         method: "POST", url: "http://127.0.0.1:4004/rpc/payments.charge",
///         headers: [("content-type", "application/json")], body: json, totalTimeout: 2)
///     guard response.status == 200 else { … }
///
/// A response with any status is returned, not thrown: only failing to get
/// a response at all is an `HTTPClientError`.
public final class HTTPClient: Sendable {
    public static let shared = HTTPClient()

    /// Seconds to establish the TCP (and TLS) connection.
    public let connectTimeout: Double
    /// Seconds for the whole exchange, connect included.
    public let totalTimeout: Double
    /// Header plus body bytes accepted before the transfer is aborted.
    public let maxResponseBytes: Int

    public init(connectTimeout: Double = 1, totalTimeout: Double = 5, maxResponseBytes: Int = 8 << 20) {
        precondition(connectTimeout > 0 && totalTimeout > 0, "timeouts must be positive")
        precondition(maxResponseBytes > 0, "maxResponseBytes must be positive")
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxResponseBytes = maxResponseBytes
        _ = CurlEasyHandle.globalInitialization
    }

    /// Sends one request and waits for the whole response.
    ///
    /// - Parameters:
    ///   - method: an HTTP method token such as `GET`, `POST`, `PATCH`.
    ///   - headers: sent as given; `Expect: 100-continue` is suppressed.
    ///   - body: sent with a `Content-Length`. nil sends no body, except
    ///     that POST, PUT and PATCH always carry one (`Content-Length: 0`),
    ///     which some servers require.
    ///   - connectTimeout, totalTimeout: override the client's for this call.
    ///   - freshConnection: send on a connection made for this call, never a
    ///     reused one. Then a connect failure proves the request was never
    ///     sent: on a reused connection that died after the send, libcurl
    ///     retries on a new one, and that retry's connect failure would hide a
    ///     request the server may already have acted on.
    public func send(
        method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
        connectTimeout: Double? = nil, totalTimeout: Double? = nil, freshConnection: Bool = false
    ) throws(HTTPClientError) -> HTTPClientResponse {
        guard !method.isEmpty, method.utf8.allSatisfy(HTTPClient.isTokenByte) else {
            throw HTTPClientError.invalidRequest.with(detail: "method is not an HTTP token")
        }
        guard !url.utf8.contains(0) else { throw HTTPClientError.invalidURL.with(detail: "NUL in URL") }
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }
        var sawExpect = false
        for field in headers {
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(HTTPClient.isTokenByte),
                !field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 })
            else { throw HTTPClientError.invalidRequest.with(detail: "header \(field.name) cannot be sent") }
            if HTTPClientResponse.equalsIgnoringCase(field.name, "expect") { sawExpect = true }
            // "Name:" with nothing after it would tell libcurl to drop the header; "Name;" sends it empty.
            let line = field.value.isEmpty ? field.name + ";" : field.name + ": " + field.value
            headerList = try HTTPClient.append(line, to: headerList)
        }
        if !sawExpect {
            // An empty `Expect:` stops libcurl waiting up to a second for a 100 before large bodies.
            headerList = try HTTPClient.append("Expect:", to: headerList)
        }

        let handle = CurlEasyHandle.current()
        let easy = handle.easy
        // Reset drops every option of the previous call but keeps its live connections.
        curl_easy_reset(easy)
        handle.errorBuffer[0] = 0
        let collector = ResponseCollector(limit: maxResponseBytes)

        return try withExtendedLifetime(collector) { () throws(HTTPClientError) -> HTTPClientResponse in
            let context = Unmanaged.passUnretained(collector).toOpaque()
            var status = CURLE_OK
            func set(_ result: CURLcode) {
                if status == CURLE_OK { status = result }
            }
            set(banyan_curl_setopt_string(easy, CURLOPT_URL, url))
            set(banyan_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1))
            set(banyan_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, HTTPClient.milliseconds(connectTimeout ?? self.connectTimeout)))
            set(banyan_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, HTTPClient.milliseconds(totalTimeout ?? self.totalTimeout)))
            set(banyan_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0))
            if freshConnection { set(banyan_curl_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1)) }
            // Calls go straight to the service: an `http_proxy` in the environment
            // must not silently route them elsewhere.
            set(banyan_curl_setopt_string(easy, CURLOPT_PROXY, ""))
            set(banyan_curl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https"))
            set(banyan_curl_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
            set(banyan_curl_setopt_off_t(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxResponseBytes)))
            set(banyan_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, handle.errorBuffer))
            set(banyan_curl_setopt_write_function(easy, ResponseCollector.bodyCallback))
            set(banyan_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, context))
            set(banyan_curl_setopt_header_function(easy, ResponseCollector.headerCallback))
            set(banyan_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, context))
            set(banyan_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList))

            if method == "HEAD" {
                // Without NOBODY libcurl would wait for a body that never comes.
                set(banyan_curl_setopt_long(easy, CURLOPT_NOBODY, 1))
            } else if let body = body ?? (HTTPClient.methodsWithBody.contains(method) ? [] : nil) {
                // The size first: COPYPOSTFIELDS copies that many bytes (and would use strlen otherwise).
                set(banyan_curl_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
                body.withUnsafeBytes { bytes in
                    let pointer = bytes.isEmpty ? nil : bytes.baseAddress
                    if let pointer {
                        set(banyan_curl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: pointer)))
                    } else {
                        set(banyan_curl_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, ""))
                    }
                }
                if method != "POST" { set(banyan_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method)) }
            } else if method != "GET" {
                set(banyan_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method))
            }
            guard status == CURLE_OK else {
                throw HTTPClientError.invalidRequest.with(detail: "option rejected: \(String(cString: curl_easy_strerror(status)))")
            }

            let result = curl_easy_perform(easy)
            // The list is freed on return; the handle must not keep pointing at it.
            _ = banyan_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, nil)
            guard result == CURLE_OK else {
                throw error(for: result, handle: handle, collector: collector)
            }
            var code = 0
            _ = banyan_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code)
            return HTTPClientResponse(status: code, headers: collector.headers, body: collector.body)
        }
    }

    private func error(for result: CURLcode, handle: CurlEasyHandle, collector: ResponseCollector) -> HTTPClientError {
        let message = handle.lastError.isEmpty ? String(cString: curl_easy_strerror(result)) : handle.lastError
        switch result {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return HTTPClientError.connectFailed.with(detail: message)
        case CURLE_OPERATION_TIMEDOUT:
            // Nothing was sent if the transfer never reached the pre-transfer stage.
            var pretransfer: curl_off_t = 0
            _ = banyan_curl_getinfo_off_t(handle.easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer)
            return (pretransfer == 0 ? HTTPClientError.connectTimedOut : .timedOut).with(detail: message)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return HTTPClientError.invalidURL.with(detail: message)
        case CURLE_FILESIZE_EXCEEDED:
            return HTTPClientError.responseTooLarge.with(detail: message)
        case CURLE_WRITE_ERROR where collector.exceededLimit:
            return HTTPClientError.responseTooLarge.with(detail: "response over \(maxResponseBytes) bytes")
        default:
            return HTTPClientError.transport.with(detail: message)
        }
    }

    private static func append(_ line: String, to list: UnsafeMutablePointer<curl_slist>?) throws(HTTPClientError)
        -> UnsafeMutablePointer<curl_slist>
    {
        guard let extended = curl_slist_append(list, line) else {
            throw HTTPClientError.transport.with(detail: "out of memory building headers")
        }
        return extended
    }

    private static let methodsWithBody: Set<String> = ["POST", "PUT", "PATCH"]

    /// At least 1 ms: libcurl reads 0 as "no timeout".
    private static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite else { return Int(Int32.max) }
        return max(1, min(Int(Int32.max), Int((seconds * 1000).rounded(.up))))
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
