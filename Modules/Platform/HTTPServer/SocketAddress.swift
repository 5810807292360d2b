import Glibc

/// An IPv4 or IPv6 socket address, as the kernel takes and returns it.
struct SocketAddress {
    var storage: sockaddr_storage
    var length: socklen_t

    /// Parses a numeric host (`127.0.0.1`, `0.0.0.0`, `::1`) or `localhost`;
    /// nil for anything else, so a typo never silently binds somewhere unexpected.
    init?(host: String, port: Int) {
        guard (0...65535).contains(port) else { return nil }
        storage = sockaddr_storage()
        let numericHost = host == "localhost" ? "127.0.0.1" : host
        if numericHost.contains(":") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, numericHost, &address.sin6_addr) == 1 else { return nil }
            withUnsafeMutableBytes(of: &storage) { raw in raw.storeBytes(of: address, as: sockaddr_in6.self) }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, numericHost, &address.sin_addr) == 1 else { return nil }
            withUnsafeMutableBytes(of: &storage) { raw in raw.storeBytes(of: address, as: sockaddr_in.self) }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        }
    }

    init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    var family: Int32 { Int32(storage.ss_family) }

    var port: Int {
        withUnsafeBytes(of: storage) { raw in
            switch family {
            case AF_INET: Int(UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port))
            case AF_INET6: Int(UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port))
            default: 0
            }
        }
    }

    /// `ip:port` (`[ip]:port` for IPv6), as `HTTPRequest.remoteAddress` carries it.
    var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        var copy = storage
        let ok = withUnsafeMutableBytes(of: &copy) { raw -> Bool in
            switch family {
            case AF_INET:
                let base = raw.baseAddress! + MemoryLayout<sockaddr_in>.offset(of: \sockaddr_in.sin_addr)!
                return inet_ntop(AF_INET, base, &text, socklen_t(text.count)) != nil
            case AF_INET6:
                let base = raw.baseAddress! + MemoryLayout<sockaddr_in6>.offset(of: \sockaddr_in6.sin6_addr)!
                return inet_ntop(AF_INET6, base, &text, socklen_t(text.count)) != nil
            default:
                return false
            }
        }
        guard ok else { return "unknown" }
        let host = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return family == AF_INET6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
