import Foundation
import Glibc

/// The ledger on disk (`--ledger-file`): one JSON line per decided charge or
/// made refund, appended and fsync'ed before the caller hears the answer, so
/// a simulator killed and restarted still knows every charge it answered and
/// a repeated key is never charged twice across the restart.
final class LedgerJournal: Sendable {
    /// One line: `{"charge":{…}}` or `{"refund":{…}}`.
    enum Entry: Codable, Sendable {
        case charge(LedgerCharge)
        case refund(LedgerRefund)

        private enum CodingKeys: String, CodingKey {
            case charge, refund
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let charge = try container.decodeIfPresent(LedgerCharge.self, forKey: .charge) {
                self = .charge(charge)
            } else {
                self = .refund(try container.decode(LedgerRefund.self, forKey: .refund))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .charge(let charge): try container.encode(charge, forKey: .charge)
            case .refund(let refund): try container.encode(refund, forKey: .refund)
            }
        }
    }

    struct WriteFailed: Error, CustomStringConvertible {
        var description: String
    }

    let path: String
    private let descriptor: Int32

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw WriteFailed(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Every entry written so far. A torn last line (the process died in the
    /// middle of a write) was never answered, so it is skipped.
    func entries() throws -> [Entry] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoder = JSONDecoder()
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(Entry.self, from: Data($0)) }
    }

    func append(_ entry: Entry) throws {
        var line = try JSONEncoder().encode(entry)
        line.append(UInt8(ascii: "\n"))
        try line.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw WriteFailed(description: "cannot write \(path): \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else {
            throw WriteFailed(description: "cannot fsync \(path): \(String(cString: strerror(errno)))")
        }
    }
}
