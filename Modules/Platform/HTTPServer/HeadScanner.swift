import Platform

/// Finds where a request head ends as bytes trickle in, remembering how far
/// it got so a client sending one byte at a time costs O(n), not O(n²).
///
/// It also refuses a hopeless head as soon as the evidence is in, rather than
/// waiting for the limit or the timeout: a control byte, a method that is not
/// a token, a bad request line, too many lines, too many bytes.
struct HeadScanner {
    enum Outcome {
        case needMore
        /// The head is the first `length` bytes.
        case complete(length: Int)
        case failure(Problem)
    }

    /// Offsets are relative to the first byte of the head.
    private var scanned = 0
    private var lineStart = 0
    /// Header field lines seen; -1 until the request line has ended.
    private var fieldLines = -1
    private var methodEnded = false

    /// The longest method this server knows is 7 bytes; anything much longer is noise.
    private static let maxMethodLength = 16

    mutating func scan(_ head: UnsafeBufferPointer<UInt8>, limits: RequestLimits) -> Outcome {
        var index = scanned
        defer { scanned = index }
        while index < head.count {
            let byte = head[index]
            if byte == HTTPSyntax.lf {
                var end = index
                if end > lineStart && head[end - 1] == HTTPSyntax.cr { end -= 1 }
                if fieldLines < 0 {
                    if case .failure(let problem) = RequestHeadParser.parseRequestLine(head, lineStart..<end) {
                        return .failure(problem)
                    }
                    fieldLines = 0
                } else if end == lineStart {
                    index += 1
                    return index > limits.maxHeaderBytes ? .failure(ProtocolProblem.headerTooLarge) : .complete(length: index)
                } else {
                    fieldLines += 1
                    if fieldLines > limits.maxHeaderCount { return .failure(ProtocolProblem.tooManyHeaders) }
                }
                lineStart = index + 1
            } else if byte == HTTPSyntax.cr {
                // A CR must end a line; decide once the next byte is here.
                guard index + 1 < head.count else { return .needMore }
                if head[index + 1] != HTTPSyntax.lf {
                    return .failure(ProtocolProblem.malformed("A CR in the head is not followed by LF."))
                }
            } else if (byte < 0x20 && byte != HTTPSyntax.tab) || byte == 0x7F {
                return .failure(ProtocolProblem.malformed("The request head contains a control character."))
            } else if fieldLines < 0 && !methodEnded {
                if byte == HTTPSyntax.space {
                    methodEnded = true
                } else if !HTTPSyntax.isTokenByte(byte) || index - lineStart >= Self.maxMethodLength {
                    return .failure(ProtocolProblem.malformed("The request does not start with an HTTP method."))
                }
            }
            index += 1
            if index > limits.maxHeaderBytes { return .failure(ProtocolProblem.headerTooLarge) }
        }
        return .needMore
    }
}
