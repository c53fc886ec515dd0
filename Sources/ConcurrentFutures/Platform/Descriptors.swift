/// Pipes and sockets that are *close-on-exec* (a program started later does not inherit them)
/// and never raise SIGPIPE. Linux sets these flags in the call that makes the descriptor; macOS
/// needs a second call. Every function here returns what the POSIX call would: a descriptor
/// (or 0) on success, -1 with `errno` set on failure.
///
///     var ends: [Int32] = [-1, -1]
///     guard makePipe(&ends, nonBlocking: true) == 0 else { throw ... errno ... }

/// Makes a pipe whose two ends are close-on-exec (and non-blocking if asked).
///
/// - Linux: `pipe2(O_CLOEXEC | O_NONBLOCK)`, atomic.
/// - macOS: `pipe`, then `fcntl(FD_CLOEXEC)` and `fcntl(O_NONBLOCK)` on each end. Another
///   thread that starts a program in between could inherit the ends; the spawns of this
///   package close every descriptor they do not name on macOS (`spawnProcess`), so theirs do not.
package func makePipe(_ ends: UnsafeMutablePointer<Int32>, nonBlocking: Bool = false) -> Int32 {
    #if canImport(Darwin)
    guard pipe(ends) == 0 else { return -1 }
    for end in [ends[0], ends[1]] {
        setCloseOnExec(end)
        if nonBlocking { setNonBlocking(end) }
    }
    return 0
    #else
    return pipe2(ends, O_CLOEXEC | (nonBlocking ? O_NONBLOCK : 0))
    #endif
}

/// Makes a connected pair of Unix-domain stream sockets, both close-on-exec and both immune
/// to SIGPIPE (write to them with `sendWithoutSignal`).
///
/// - Linux: `socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC)`.
/// - macOS: `socketpair(AF_UNIX, SOCK_STREAM)`, then `fcntl(FD_CLOEXEC)` and
///   `setsockopt(SO_NOSIGPIPE)` on each.
package func makeSocketPair(_ ends: UnsafeMutablePointer<Int32>) -> Int32 {
    #if canImport(Darwin)
    guard socketpair(AF_UNIX, SOCK_STREAM, 0, ends) == 0 else { return -1 }
    for end in [ends[0], ends[1]] {
        setCloseOnExec(end)
        setNoSIGPIPE(end)
    }
    return 0
    #else
    return socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, ends)
    #endif
}

/// Makes an IPv4 TCP socket, close-on-exec and non-blocking, immune to SIGPIPE.
///
/// - Linux: `socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK)`.
/// - macOS: `socket(AF_INET, SOCK_STREAM)`, then `fcntl` for the two flags and
///   `setsockopt(SO_NOSIGPIPE)`.
package func makeTCPSocket() -> Int32 {
    #if canImport(Darwin)
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    guard fd >= 0 else { return -1 }
    setCloseOnExec(fd)
    setNonBlocking(fd)
    setNoSIGPIPE(fd)
    return fd
    #else
    return socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
    #endif
}

/// Accepts a connection on the listening socket `listener`; the new socket is close-on-exec,
/// non-blocking and immune to SIGPIPE. -1 with `errno` when none could be accepted.
///
/// - Linux: `accept4(SOCK_CLOEXEC | SOCK_NONBLOCK)`.
/// - macOS: `accept`, then the same flags one by one (an accepted socket does not reliably
///   inherit them from the listener).
package func acceptConnection(on listener: Int32) -> Int32 {
    #if canImport(Darwin)
    let fd = accept(listener, nil, nil)
    guard fd >= 0 else { return -1 }
    setCloseOnExec(fd)
    setNonBlocking(fd)
    setNoSIGPIPE(fd)
    return fd
    #else
    return accept4(listener, __SOCKADDR_ARG(__sockaddr__: nil), nil, Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue))
    #endif
}

/// `send` that reports a peer that hung up as `EPIPE` instead of raising SIGPIPE (which would
/// kill the program). The program's own signal handling is left alone.
///
/// - Linux: `send(..., MSG_NOSIGNAL)`.
/// - macOS: plain `send`; every socket made by this layer has `SO_NOSIGPIPE` set, which does the
///   same for the socket as a whole.
package func sendWithoutSignal(_ socket: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    return send(socket, bytes, count, 0)
    #else
    return send(socket, bytes, count, Int32(MSG_NOSIGNAL))
    #endif
}

/// An IPv4 socket address for `host` (a dotted quad such as "127.0.0.1") and `port`; `nil` if
/// `host` is not one.
///
/// - Linux: a `sockaddr_in` with family, port and address.
/// - macOS: the same, plus the length field `sin_len` that BSD systems keep in the address.
package func ipv4Address(host: String, port: UInt16) -> sockaddr_in? {
    var address = sockaddr_in()
    #if canImport(Darwin)
    address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
    #endif
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
    return address
}

/// `connect(socket, address)`; 0 on success (or -1 with `errno`, `EINPROGRESS` for a
/// non-blocking socket whose connection is on its way).
///
/// - Linux and macOS: `connect`. (On Linux, with glibc's GNU extensions that this layer uses,
///   the address parameter is a transparent union; this function hides the difference.)
package func connectSocket(_ socket: Int32, to address: sockaddr_in) -> Int32 {
    withSocketAddress(address) { pointer, length in
        #if canImport(Darwin)
        connect(socket, pointer, length)
        #else
        connect(socket, __CONST_SOCKADDR_ARG(__sockaddr__: pointer), length)
        #endif
    }
}

/// Binds `socket` to `address` and makes it listen with `backlog`; 0 on success, -1 with
/// `errno` (and the name of the call that failed in `failedCall`).
///
/// - Linux and macOS: `bind`, then `listen` (see `connectSocket` about the address type).
package func bindAndListen(_ socket: Int32, to address: sockaddr_in, backlog: Int32, failedCall: inout String) -> Int32 {
    let bound = withSocketAddress(address) { pointer, length in
        #if canImport(Darwin)
        bind(socket, pointer, length)
        #else
        bind(socket, __CONST_SOCKADDR_ARG(__sockaddr__: pointer), length)
        #endif
    }
    guard bound == 0 else {
        failedCall = "bind"
        return -1
    }
    guard listen(socket, backlog) == 0 else {
        failedCall = "listen"
        return -1
    }
    return 0
}

/// The address `socket` is bound to (for a socket bound to port 0: the port the system chose);
/// `nil` with `errno` set if `getsockname` fails.
package func boundAddress(of socket: Int32) -> sockaddr_in? {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let status = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            #if canImport(Darwin)
            getsockname(socket, pointer, &length)
            #else
            getsockname(socket, __SOCKADDR_ARG(__sockaddr__: pointer), &length)
            #endif
        }
    }
    return status == 0 ? address : nil
}

private func withSocketAddress<Result>(
    _ address: sockaddr_in, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result
) -> Result {
    withUnsafePointer(to: address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
}

/// Sets `FD_CLOEXEC` on `descriptor`: a program started later will not inherit it.
/// - Linux and macOS: `fcntl(F_SETFD)`, keeping the other descriptor flags.
package func setCloseOnExec(_ descriptor: Int32) {
    let flags = fcntl(descriptor, F_GETFD)
    if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
}

/// Sets `O_NONBLOCK` on `descriptor`. Returns `false` (with `errno`) if `fcntl` failed.
/// - Linux and macOS: `fcntl(F_SETFL)`, keeping the other status flags.
@discardableResult
package func setNonBlocking(_ descriptor: Int32) -> Bool {
    let flags = fcntl(descriptor, F_GETFL)
    return flags >= 0 && fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0
}

#if canImport(Darwin)
/// macOS: a write to this socket after the peer hung up fails with `EPIPE` instead of raising
/// SIGPIPE (`SO_NOSIGPIPE`; Linux has no such option and passes `MSG_NOSIGNAL` per call).
private func setNoSIGPIPE(_ socket: Int32) {
    var on: Int32 = 1
    _ = setsockopt(socket, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
}
#endif

/// The number of descriptors this process has open right now.
///
/// - Linux and macOS: the entries of `/dev/fd` (on Linux a link to the process's descriptor
///   folder, on macOS the `fdesc` file system), less the one used to read it.
package func openDescriptorCount() -> Int {
    guard let directory = opendir("/dev/fd") else { return -1 }
    defer { closedir(directory) }
    var count = 0
    while let entry = readdir(directory) {
        let isDot = withUnsafeBytes(of: entry.pointee.d_name) { $0.first == UInt8(ascii: ".") }
        if !isDot { count += 1 }
    }
    return count - 1  // the directory stream's own descriptor
}
