import Platform

/// De-chunks a `Transfer-Encoding: chunked` body as it arrives (RFC 9112 §7.1):
/// chunk extensions are ignored, trailer fields are skipped, and the body is
/// refused with 413 the moment a chunk size would take it over the limit,
/// before that chunk's bytes are read.
struct ChunkedBodyDecoder {
    enum Outcome {
        case needMore
        case complete
        case failure(Problem)
    }

    private enum State {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers(bytesSeen: Int)
        case done
    }

    private var state = State.size
    private(set) var body: [UInt8] = []
    private let maxBodyBytes: Int
    private let maxTrailerBytes: Int

    /// A chunk-size line with extensions longer than this is an attack, not a client.
    private static let maxSizeLineBytes = 4096

    init(maxBodyBytes: Int, maxTrailerBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
        self.maxTrailerBytes = maxTrailerBytes
    }

    /// Consumes what it can from `input`; returns how many bytes it used.
    mutating func decode(_ input: UnsafeBufferPointer<UInt8>) -> (consumed: Int, outcome: Outcome) {
        var index = 0
        while true {
            switch state {
            case .size:
                guard let lineFeed = Self.lineFeed(in: input, from: index, within: Self.maxSizeLineBytes) else {
                    if input.count - index > Self.maxSizeLineBytes {
                        return (index, .failure(ProtocolProblem.malformed("A chunk-size line is too long.")))
                    }
                    return (index, .needMore)
                }
                var end = lineFeed
                if end > index && input[end - 1] == HTTPSyntax.cr { end -= 1 }
                let size: Int
                switch parseSizeLine(UnsafeBufferPointer(rebasing: input[index..<end])) {
                case .success(let parsed): size = parsed
                case .failure(let problem): return (index, .failure(problem))
                }
                index = lineFeed + 1
                if size == 0 {
                    state = .trailers(bytesSeen: 0)
                } else {
                    body.reserveCapacity(body.count + size)
                    state = .data(remaining: size)
                }

            case .data(let remaining):
                let available = min(remaining, input.count - index)
                guard available > 0 else { return (index, .needMore) }
                body.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<(index + available)]))
                index += available
                state = available == remaining ? .dataEnd : .data(remaining: remaining - available)

            case .dataEnd:
                guard index < input.count else { return (index, .needMore) }
                if input[index] == HTTPSyntax.lf {
                    index += 1
                } else if input[index] == HTTPSyntax.cr {
                    guard index + 1 < input.count else { return (index, .needMore) }
                    guard input[index + 1] == HTTPSyntax.lf else {
                        return (index, .failure(ProtocolProblem.malformed("Chunk data is not followed by CRLF.")))
                    }
                    index += 2
                } else {
                    return (index, .failure(ProtocolProblem.malformed("Chunk data is longer than its declared size.")))
                }
                state = .size

            case .trailers(let bytesSeen):
                let budget = maxTrailerBytes - bytesSeen
                guard let lineFeed = Self.lineFeed(in: input, from: index, within: budget) else {
                    if input.count - index > budget { return (index, .failure(ProtocolProblem.headerTooLarge)) }
                    return (index, .needMore)
                }
                let lineLength = lineFeed - index
                let isEmpty = lineLength == 0 || (lineLength == 1 && input[index] == HTTPSyntax.cr)
                for byte in input[index..<lineFeed] where byte != HTTPSyntax.cr && !HTTPSyntax.isFieldValueByte(byte) {
                    return (index, .failure(ProtocolProblem.malformed("A trailer field contains a control character.")))
                }
                index = lineFeed + 1
                state = isEmpty ? .done : .trailers(bytesSeen: bytesSeen + lineLength + 1)

            case .done:
                return (index, .complete)
            }
        }
    }

    mutating func takeBody() -> [UInt8] {
        defer { body = [] }
        return body
    }

    /// `chunk-size [ BWS ; chunk-ext ]`; the extensions are checked for
    /// control bytes and otherwise ignored.
    private func parseSizeLine(_ line: UnsafeBufferPointer<UInt8>) -> Result<Int, Problem> {
        var index = 0
        var size = 0
        while index < line.count, let digit = Self.hexValue(line[index]) {
            // Refuse as soon as the size alone passes the limit, so no overflow is possible.
            size = size * 16 + digit
            if size > maxBodyBytes || body.count + size > maxBodyBytes {
                return .failure(ProtocolProblem.bodyTooLarge)
            }
            index += 1
        }
        guard index > 0 else { return .failure(ProtocolProblem.malformed("A chunk size is not a hexadecimal number.")) }
        while index < line.count && HTTPSyntax.isWhitespace(line[index]) { index += 1 }
        if index < line.count {
            guard line[index] == 0x3B else {  // `;`
                return .failure(ProtocolProblem.malformed("A chunk size is not a hexadecimal number."))
            }
            for byte in line[index...] where !HTTPSyntax.isFieldValueByte(byte) {
                return .failure(ProtocolProblem.malformed("A chunk extension contains a control character."))
            }
        }
        return .success(size)
    }

    private static func lineFeed(in input: UnsafeBufferPointer<UInt8>, from start: Int, within limit: Int) -> Int? {
        let end = min(input.count, start + max(0, limit) + 1)
        var index = start
        while index < end {
            if input[index] == HTTPSyntax.lf { return index }
            index += 1
        }
        return nil
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte - 0x30)
        case 0x41...0x46: Int(byte - 0x41 + 10)
        case 0x61...0x66: Int(byte - 0x61 + 10)
        default: nil
        }
    }
}
