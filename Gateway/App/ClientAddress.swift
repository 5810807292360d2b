import Foundation
import HTTPServer

/// Where a request comes from, for per-client limits: the TCP peer's IP, or,
/// when that peer is a proxy listed in `BANYAN_TRUSTED_PROXIES`, the nearest
/// address in its `X-Forwarded-For` that is not a trusted proxy itself.
/// A client talking to the gateway directly cannot choose its address by
/// sending the header: from an untrusted peer it is ignored.
struct ClientAddress: Sendable {
    /// Peer IPs, exactly as the socket reports them (`127.0.0.1`, `::1`).
    let trustedProxies: Set<String>

    func of(_ request: HTTPRequest) -> String {
        let peer = ClientAddress.host(ofPeer: request.remoteAddress)
        guard trustedProxies.contains(peer) else { return peer }
        // One list, however many header lines carry it. Proxies append: the
        // right-most entries are the ones our own proxies wrote.
        let hops = request.headers.values("x-forwarded-for").joined(separator: ",").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard !hops.isEmpty, hops.allSatisfy(ClientAddress.looksLikeIP) else { return peer }
        return hops.last { !trustedProxies.contains($0) } ?? hops[0]
    }

    /// The IP of an `ip:port` or `[ip]:port` peer address.
    static func host(ofPeer address: String) -> String {
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<close])
        }
        guard let colon = address.lastIndex(of: ":") else { return address }
        return String(address[..<colon])
    }

    /// IPv4 or IPv6 text, loosely: anything else came from a client, not a proxy.
    private static func looksLikeIP(_ text: String) -> Bool {
        (2...45).contains(text.utf8.count)
            && text.utf8.allSatisfy { $0.isHexDigit || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") }
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}
