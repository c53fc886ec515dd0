import SystemPlatform

/// Small, careful wrappers over non-blocking BSD sockets, shared by `LocalHTTPServer` and `HTTPClient`.
///
/// Every wait is a `poll` against a deadline, optionally also watching a "stop" descriptor: when
/// that descriptor becomes readable the wait ends with `.stopped`, which is how the server
/// interrupts its own threads. Writes use `sendWithoutSignal`, so a peer that hung up produces
/// `EPIPE` rather than a process-killing `SIGPIPE`.
enum Sockets {
    /// Why a socket operation did not complete.
    enum Failure: Error, Equatable {
        case timedOut
        case stopped
        case system(call: String, errno: Int32)
    }

    /// Waits until `fd` is ready for `events` (`POLLIN` or `POLLOUT`), the deadline passes, or `stopFD` becomes readable.
    static func wait(
        for events: Int16, on fd: Int32, until deadline: ContinuousClock.Instant?, stopFD: Int32? = nil
    ) throws(Failure) {
        while true {
            var descriptors = [pollfd(fd: fd, events: events, revents: 0)]
            if let stopFD { descriptors.append(pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)) }
            let timeout = deadline.map(millisecondsUntil) ?? -1
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                throw .system(call: "poll", errno: errno)
            }
            if descriptors.count > 1 && descriptors[1].revents != 0 { throw .stopped }
            if descriptors[0].revents != 0 { return }  // ready, or an error/hang-up the next call will report
            if let deadline, ContinuousClock.now >= deadline { throw .timedOut }
        }
    }

    /// Sleeps for `duration` unless `stopFD` becomes readable first (then throws `.stopped`).
    static func pause(for duration: Duration, stopFD: Int32) throws(Failure) {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            var descriptor = pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, millisecondsUntil(deadline))
            if ready < 0 && errno != EINTR { throw .system(call: "poll", errno: errno) }
            if ready > 0 { throw .stopped }
        }
    }

    /// Writes all of `bytes` to the non-blocking socket `fd`.
    static func sendAll(
        _ bytes: [UInt8], to fd: Int32, until deadline: ContinuousClock.Instant?, stopFD: Int32? = nil
    ) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                sendWithoutSignal(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if sent >= 0 {
                offset += sent
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                try wait(for: Int16(POLLOUT), on: fd, until: deadline, stopFD: stopFD)
            } else if errno != EINTR {
                throw .system(call: "send", errno: errno)
            }
        }
    }

    /// Reads whatever is available (up to `limit` bytes) from the non-blocking socket `fd`,
    /// waiting for it if needed. An empty result means the peer closed the connection.
    static func receive(
        from fd: Int32, limit: Int = 64 * 1024, until deadline: ContinuousClock.Instant?, stopFD: Int32? = nil
    ) throws(Failure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: limit)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if count >= 0 {
                buffer.removeSubrange(count...)
                return buffer
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                try wait(for: Int16(POLLIN), on: fd, until: deadline, stopFD: stopFD)
            } else if errno != EINTR {
                throw .system(call: "recv", errno: errno)
            }
        }
    }

    /// An IPv4 socket address for `host` (a dotted quad) and `port`; `nil` if `host` is not one.
    static func address(host: String, port: UInt16) -> sockaddr_in? {
        ipv4Address(host: host, port: port)
    }

    /// A readable description of an `errno` value, e.g. "Connection refused".
    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Milliseconds from now until `deadline`, rounded up so a wait never ends early; never negative.
    private static func millisecondsUntil(_ deadline: ContinuousClock.Instant) -> Int32 {
        let remaining = deadline - ContinuousClock.now
        if remaining <= .zero { return 0 }
        let milliseconds = (remaining.nanosecondsRounded + 999_999) / 1_000_000
        return Int32(clamping: milliseconds)
    }
}
