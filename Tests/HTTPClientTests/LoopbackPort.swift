import Foundation

/// A loopback TCP port this test owns, which no server answers:
/// `refusing()` is bound but not listening, so connections are refused;
/// `unresponsive()` listens with a full accept queue, so the kernel drops
/// new SYNs and a connect attempt hangs until its timeout.
final class LoopbackPort {
    let port: Int
    private let descriptor: Int32
    private var queued: [Int32] = []

    static func refusing() throws -> LoopbackPort {
        try LoopbackPort()
    }

    static func unresponsive() throws -> LoopbackPort {
        let socket = try LoopbackPort()
        // Backlog 0 still admits one connection; three fill the queue for sure.
        guard listen(socket.descriptor, 0) == 0 else { throw POSIXError(.EADDRINUSE) }
        for _ in 0..<3 {
            let client = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard client >= 0 else { throw POSIXError(.EMFILE) }
            socket.queued.append(client)
            var address = LoopbackPort.address(port: socket.port)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        return socket
    }

    private init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        var address = LoopbackPort.address(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        for client in queued { close(client) }
        close(descriptor)
    }

    private static func address(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}
