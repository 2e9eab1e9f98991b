import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The SSRF guard for subscription URLs (DESIGN.md §7): every address a name resolves to must be globally routable.
public enum AddressPolicy {
    /// A resolved address: 4 or 16 bytes.
    public struct Address: Sendable, Equatable, CustomStringConvertible {
        public let bytes: [UInt8]

        public init?(_ text: String) {
            var v4 = in_addr()
            var v6 = in6_addr()
            if inet_pton(AF_INET, text, &v4) == 1 {
                bytes = withUnsafeBytes(of: &v4) { Array($0) }
            } else if inet_pton(AF_INET6, text, &v6) == 1 {
                bytes = withUnsafeBytes(of: &v6) { Array($0) }
            } else {
                return nil
            }
        }

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        public var description: String {
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            var copy = bytes
            let family = bytes.count == 4 ? AF_INET : AF_INET6
            _ = copy.withUnsafeMutableBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// True only for publicly routable unicast addresses: not loopback, private, link-local, unique-local, CGNAT,
    /// multicast, unspecified, documentation, benchmarking, reserved, IPv4-mapped or a transition prefix that embeds
    /// an IPv4 address (6to4, Teredo, NAT64), since those can lead back inside.
    public static func isGlobal(_ address: Address) -> Bool {
        let b = address.bytes
        if b.count == 4 { return isGlobalIPv4(b) }
        guard b.count == 16 else { return false }
        let first = b[0]
        if first & 0xE0 != 0x20 { return false }  // only 2000::/3 is global unicast
        if b[0] == 0x20, b[1] == 0x01, b[2] < 0x02 { return false }  // 2001::/23 IETF protocol assignments (Teredo, …)
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0D, b[3] == 0xB8 { return false }  // 2001:db8::/32 documentation
        if b[0] == 0x20, b[1] == 0x02 { return false }  // 2002::/16 6to4
        if b[0] == 0x3F, b[1] == 0xFF, b[2] & 0xF0 == 0 { return false }  // 3fff::/20 documentation
        return true
    }

    private static func isGlobalIPv4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1], b[2]) {
        case (0, _, _), (10, _, _), (127, _, _): return false
        case (100, 64...127, _): return false  // CGNAT
        case (169, 254, _): return false  // link-local, cloud metadata
        case (172, 16...31, _): return false
        case (192, 0, 0), (192, 0, 2), (192, 88, 99), (192, 168, _): return false
        case (198, 18...19, _), (198, 51, 100), (203, 0, 113): return false
        case (224...255, _, _): return false  // multicast, reserved, broadcast
        default: return true
        }
    }

    /// Every address `host` resolves to (A and AAAA), resolved off the event loops.
    public static func resolve(_ host: String) async throws -> [Address] {
        if let literal = Address(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))) { return [literal] }
        return try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, nil, &hints, &result)
            guard status == 0, let first = result else { throw ResolutionError(host: host) }
            defer { freeaddrinfo(first) }
            var addresses: [Address] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = first
            while let entry = cursor {
                if let socketAddress = entry.pointee.ai_addr {
                    switch Int32(socketAddress.pointee.sa_family) {
                    case AF_INET:
                        socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                            var address = pointer.pointee.sin_addr
                            addresses.append(Address(bytes: withUnsafeBytes(of: &address) { Array($0) }))
                        }
                    case AF_INET6:
                        socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                            var address = pointer.pointee.sin6_addr
                            addresses.append(Address(bytes: withUnsafeBytes(of: &address) { Array($0) }))
                        }
                    default: break
                    }
                }
                cursor = entry.pointee.ai_next
            }
            guard !addresses.isEmpty else { throw ResolutionError(host: host) }
            var unique: [Address] = []
            for address in addresses where !unique.contains(address) { unique.append(address) }
            return unique
        }
    }

    public struct ResolutionError: Error, CustomStringConvertible {
        public let host: String
        public var description: String { "cannot resolve \(host)" }
    }
}
