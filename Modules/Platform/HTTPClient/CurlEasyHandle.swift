import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One libcurl easy handle per thread, kept for the thread's lifetime.
///
/// An easy handle owns a connection cache, so reusing it keeps connections
/// alive between requests; but it must never be used by two threads at
/// once. A thread-local handle gives both without a lock: `send` is
/// synchronous and never re-enters itself, so a thread uses its handle for
/// one transfer at a time. The handle is cleaned up when its thread exits.
final class CurlEasyHandle {
    let easy: UnsafeMutableRawPointer
    /// libcurl writes its last error message here (`CURLOPT_ERRORBUFFER`).
    let errorBuffer: UnsafeMutablePointer<CChar>

    private init() {
        _ = CurlEasyHandle.globalInitialization
        guard let easy = curl_easy_init() else { fatalError("curl_easy_init failed (out of memory)") }
        self.easy = easy
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(easy)
        errorBuffer.deallocate()
    }

    var lastError: String {
        String(cString: errorBuffer)
    }

    /// `curl_global_init` exactly once per process, before the first handle;
    /// a `static let` initializer runs once, thread-safely.
    static let globalInitialization: Int = {
        let code = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        guard code == CURLE_OK else { fatalError("curl_global_init failed: \(code.rawValue)") }
        return 0
    }()

    /// The calling thread's handle, created on first use.
    static func current() -> CurlEasyHandle {
        if let stored = pthread_getspecific(threadKey) {
            return Unmanaged<CurlEasyHandle>.fromOpaque(stored).takeUnretainedValue()
        }
        let handle = CurlEasyHandle()
        // The thread-specific slot holds the only strong reference; the key's
        // destructor releases it when the thread exits.
        pthread_setspecific(threadKey, Unmanaged.passRetained(handle).toOpaque())
        return handle
    }

    private static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { stored in
            guard let stored else { return }
            Unmanaged<CurlEasyHandle>.fromOpaque(stored).release()
        }
        guard status == 0 else { fatalError("pthread_key_create failed: \(status)") }
        return key
    }()
}
