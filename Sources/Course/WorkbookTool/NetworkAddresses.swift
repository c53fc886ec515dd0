import SystemPlatform

/// The IPv4 addresses of this machine's network interfaces that are up: the addresses
/// learners can type to reach a room served on every interface.
///
///     NetworkAddresses.current()   // [(interface: "wlan0", address: "192.168.1.20"), ...]
///
/// `getifaddrs` is in the C library of Linux and macOS alike, with the same fields (name, flags,
/// address, next), so this needs nothing from the platform layer. Python: there is no standard
/// call; `socket.gethostbyname(socket.gethostname())` often answers 127.0.1.1.
enum NetworkAddresses {
    struct Interface: Equatable {
        var interface: String
        var address: String
        var isLoopback: Bool
    }

    /// Every interface that is up with an IPv4 address, loopback (127.0.0.1) last.
    static func current() -> [Interface] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return [] }
        defer { freeifaddrs(list) }
        var found: [Interface] = []
        var cursor = list
        while let entry = cursor?.pointee {
            cursor = entry.ifa_next
            let flags = Int32(truncatingIfNeeded: entry.ifa_flags)
            guard let address = entry.ifa_addr, Int32(address.pointee.sa_family) == AF_INET,
                  flags & Int32(IFF_UP) != 0 else { continue }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            let converted = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { socketAddress in
                var raw = socketAddress.pointee.sin_addr
                return inet_ntop(AF_INET, &raw, &text, socklen_t(INET_ADDRSTRLEN)) != nil
            }
            guard converted else { continue }
            found.append(Interface(
                interface: String(cString: entry.ifa_name), address: text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) },
                isLoopback: flags & Int32(IFF_LOOPBACK) != 0))
        }
        return found.filter { !$0.isLoopback } + found.filter(\.isLoopback)
    }
}
