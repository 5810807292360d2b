import Platform

/// Turns the bytes of one connection into complete requests, in order.
///
/// A state machine with no I/O: the connection appends what it read and
/// calls `next()` until it answers `.needMore`. Several pipelined requests
/// in one read come out one `next()` at a time. After `.failure` the parser
/// stays stopped: the connection answers the problem and closes.
struct RequestParser {
    enum Event {
        case needMore
        /// The head asked for `100 Continue` and no body byte has arrived yet.
        case continueExpected
        case request(HTTPRequest, keepAlive: Bool, isHTTP10: Bool)
        case failure(Problem)
    }

    enum Phase: Equatable {
        /// Between requests, nothing buffered.
        case idle
        /// Some bytes of a head have arrived.
        case head
        /// The head is complete; the body is arriving.
        case body
    }

    private enum State {
        case head(HeadScanner)
        case fixedBody(ParsedHead, length: Int, continuePending: Bool)
        case chunkedBody(ParsedHead, ChunkedBodyDecoder, continuePending: Bool)
        case stopped
    }

    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var state = State.head(HeadScanner())
    private let limits: RequestLimits
    private let remoteAddress: String

    /// Past this much spare capacity an emptied buffer is dropped, so one
    /// large upload does not pin memory for the life of a keep-alive connection.
    private static let retainedCapacity = 64 * 1024

    init(limits: RequestLimits, remoteAddress: String) {
        self.limits = limits
        self.remoteAddress = remoteAddress
    }

    var phase: Phase {
        switch state {
        case .head: readIndex < buffer.count ? .head : .idle
        case .fixedBody, .chunkedBody: .body
        case .stopped: .idle
        }
    }

    var isStopped: Bool {
        if case .stopped = state { return true }
        return false
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !isStopped else { return }
        buffer.append(contentsOf: bytes.bindMemory(to: UInt8.self))
    }

    /// Ignores everything from now on (the connection is closing).
    mutating func stop() {
        state = .stopped
        buffer = []
        readIndex = 0
    }

    mutating func next() -> Event {
        while true {
            switch state {
            case .stopped:
                return .needMore

            case .head(var scanner):
                skipBlankLines()
                guard readIndex < buffer.count else {
                    compact()
                    return .needMore
                }
                let start = readIndex
                let outcome = buffer.withUnsafeBufferPointer {
                    scanner.scan(UnsafeBufferPointer(rebasing: $0[start...]), limits: limits)
                }
                switch outcome {
                case .needMore:
                    state = .head(scanner)
                    return .needMore
                case .failure(let problem):
                    stop()
                    return .failure(problem)
                case .complete(let length):
                    let parsed = buffer.withUnsafeBufferPointer {
                        RequestHeadParser.parse(UnsafeBufferPointer(rebasing: $0[start..<(start + length)]), limits: limits)
                    }
                    readIndex += length
                    switch parsed {
                    case .failure(let problem):
                        stop()
                        return .failure(problem)
                    case .success(var head):
                        head.request.remoteAddress = remoteAddress
                        switch head.framing {
                        case .none:
                            state = .head(HeadScanner())
                            compact()
                            return .request(head.request, keepAlive: head.keepAlive, isHTTP10: head.isHTTP10)
                        case .length(let length):
                            // Refused from the declared length alone: not one body byte is read.
                            guard length <= limits.maxBodyBytes else {
                                stop()
                                return .failure(ProtocolProblem.bodyTooLarge)
                            }
                            buffer.reserveCapacity(readIndex + length)
                            state = .fixedBody(head, length: length, continuePending: head.expectsContinue)
                        case .chunked:
                            let decoder = ChunkedBodyDecoder(
                                maxBodyBytes: limits.maxBodyBytes, maxTrailerBytes: limits.maxHeaderBytes)
                            state = .chunkedBody(head, decoder, continuePending: head.expectsContinue)
                        }
                    }
                }

            case .fixedBody(var head, let length, let continuePending):
                let available = buffer.count - readIndex
                if available >= length {
                    head.request.body = Array(buffer[readIndex..<(readIndex + length)])
                    readIndex += length
                    state = .head(HeadScanner())
                    compact()
                    return .request(head.request, keepAlive: head.keepAlive, isHTTP10: head.isHTTP10)
                }
                state = .fixedBody(head, length: length, continuePending: false)
                // A client that sent body bytes without waiting needs no 100 Continue.
                return continuePending && available == 0 ? .continueExpected : .needMore

            case .chunkedBody(let head, var decoder, let continuePending):
                // Take the decoder out of `state` so appending to its body does not copy it.
                state = .stopped
                if continuePending && readIndex == buffer.count {
                    state = .chunkedBody(head, decoder, continuePending: false)
                    return .continueExpected
                }
                let start = readIndex
                let (consumed, outcome) = buffer.withUnsafeBufferPointer {
                    decoder.decode(UnsafeBufferPointer(rebasing: $0[start...]))
                }
                readIndex += consumed
                switch outcome {
                case .needMore:
                    state = .chunkedBody(head, decoder, continuePending: false)
                    compact()
                    return .needMore
                case .failure(let problem):
                    stop()
                    return .failure(problem)
                case .complete:
                    var request = head.request
                    request.body = decoder.takeBody()
                    state = .head(HeadScanner())
                    compact()
                    return .request(request, keepAlive: head.keepAlive, isHTTP10: head.isHTTP10)
                }
            }
        }
    }

    /// RFC 9112 §2.2: ignore empty lines before a request line (some clients
    /// send a CRLF after a POST body).
    private mutating func skipBlankLines() {
        while readIndex < buffer.count {
            if buffer[readIndex] == HTTPSyntax.lf {
                readIndex += 1
            } else if buffer[readIndex] == HTTPSyntax.cr && readIndex + 1 < buffer.count
                && buffer[readIndex + 1] == HTTPSyntax.lf
            {
                readIndex += 2
            } else {
                return
            }
        }
    }

    /// Drops consumed bytes. Cheap when everything was consumed (the usual
    /// case); otherwise moves the unconsumed tail only once it is worth it.
    private mutating func compact() {
        if readIndex == buffer.count {
            if buffer.capacity > Self.retainedCapacity {
                buffer = []
            } else {
                buffer.removeAll(keepingCapacity: true)
            }
            readIndex = 0
        } else if readIndex >= 4096 && readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}
