import ConcurrentFutures  // LockedValue only: a pthread lock ThreadSanitizer understands
import SystemPlatform

/// A real HTTP/1.1 server on 127.0.0.1, started by a lesson so its downloads are genuine network I/O
/// without needing the internet.
///
/// ```swift
/// let server = try LocalHTTPServer(configuration: .init(pageSize: 2_000, pageDelay: .milliseconds(300)))
/// let page = try HTTPClient.get(server.url("/page/3"))    // arrives after ~300 ms
/// server.stop()                                          // also done by deinit
/// ```
///
/// Routes:
/// - `GET /` — a short text listing these routes.
/// - `GET /page/N` — page N (N ≥ 0, below `pageCount` if set): `pageSize` bytes after `pageDelay`.
/// - `GET /status/CODE` — an empty-ish reply with that status, e.g. `/status/404` or `/status/503`.
/// - anything else — 404. A malformed request gets 400, a method other than GET or HEAD gets 405.
///
/// On any path the query can change the reply: `?delay=MS` waits that many milliseconds before
/// answering, `?size=BYTES` sets the body length, `?status=CODE` sets the status
/// (e.g. `/page/2?delay=1000&status=500` is a slow failure).
///
/// Each connection is served by a thread of its own (plus one thread accepting), so the server
/// can answer many slow requests at once and never depends on the thread pool a lesson is
/// studying. Replies carry `Connection: close`: one request per connection.
public final class LocalHTTPServer: Sendable {
    /// What the built-in routes serve.
    public struct Configuration: Sendable {
        /// Body size of `/page/N`, in bytes.
        public var pageSize: Int
        /// How long `/page/N` takes to answer (think: a slow remote server).
        public var pageDelay: Duration
        /// If set, only pages `0..<pageCount` exist; the others are 404.
        public var pageCount: Int?
        /// Consulted before the built-in routes; return `nil` to let them handle the request.
        public var handler: (@Sendable (HTTPRequest) -> Reply?)?
        /// How long a client may take to send its request.
        public var requestTimeout: Duration
        /// The address to listen on: "127.0.0.1" (this machine only), "0.0.0.0" (every network
        /// interface) or one interface's IPv4 address.
        public var host: String
        /// The port to listen on; 0 lets the operating system choose a free one.
        public var port: UInt16
        /// The methods served; any other gets 405. Methods other than GET and HEAD reach only the
        /// `handler`, with the body their `Content-Length` announces (see `maximumBodySize`).
        public var methods: Set<String>
        /// A request whose body is larger than this is refused with 413 before it is read.
        public var maximumBodySize: Int

        public init(
            pageSize: Int = 1_024,
            pageDelay: Duration = .zero,
            pageCount: Int? = nil,
            requestTimeout: Duration = .seconds(5),
            host: String = "127.0.0.1",
            port: UInt16 = 0,
            methods: Set<String> = ["GET", "HEAD"],
            maximumBodySize: Int = 64 * 1024,
            handler: (@Sendable (HTTPRequest) -> Reply?)? = nil
        ) {
            self.pageSize = pageSize
            self.pageDelay = pageDelay
            self.pageCount = pageCount
            self.requestTimeout = requestTimeout
            self.host = host
            self.port = port
            self.methods = methods
            self.maximumBodySize = maximumBodySize
            self.handler = handler
        }
    }

    /// A reply from a route: status, body and how long to wait before sending it.
    public struct Reply: Sendable {
        public var status: Int
        public var contentType: String
        public var body: [UInt8]
        public var delay: Duration

        public init(status: Int = 200, contentType: String = "text/plain; charset=utf-8", body: [UInt8], delay: Duration = .zero) {
            self.status = status
            self.contentType = contentType
            self.body = body
            self.delay = delay
        }

        /// A text reply.
        public init(status: Int = 200, text: String, delay: Duration = .zero) {
            self.init(status: status, body: Array(text.utf8), delay: delay)
        }
    }

    /// Counters a lesson can print to prove that requests really overlapped.
    public struct Statistics: Sendable, Equatable {
        /// Requests answered (any status, including 400).
        public var requestsServed = 0
        /// Requests being handled right now (read, not yet answered).
        public var requestsInProgress = 0
        /// The largest `requestsInProgress` seen since start or the last `resetStatistics()`.
        public var peakConcurrentRequests = 0
        /// Connections accepted in total.
        public var connectionsAccepted = 0
        /// Connections whose thread has not finished yet.
        public var openConnections = 0
    }

    /// The port listened on: `configuration.port`, or the one the operating system chose.
    public let port: UInt16
    /// The address listened on (`configuration.host`).
    public let host: String
    private let core: ServerCore

    /// Starts listening (by default on 127.0.0.1 at a free port) and begins serving at once.
    public init(configuration: Configuration = Configuration()) throws(HTTPServerError) {
        let listener = try Self.listen(host: configuration.host, port: configuration.port)
        var stopPipe: [Int32] = [-1, -1]
        guard makePipe(&stopPipe, nonBlocking: true) == 0 else {
            let code = errno
            close(listener.fd)
            throw .system(call: "pipe", errno: code)
        }
        port = listener.port
        host = configuration.host
        core = ServerCore(listenFD: listener.fd, port: listener.port, stopRead: stopPipe[0], stopWrite: stopPipe[1], configuration: configuration)
        guard core.startAccepting() else {
            core.stop()
            throw .system(call: "pthread_create", errno: EAGAIN)
        }
        // A lesson that ends early (`--step`, `--section N`) stops its servers before `exit`.
        let core = self.core
        EarlyEnd.register(core) { core.stop() }
    }

    deinit {
        EarlyEnd.unregister(core)
        core.stop()
    }

    /// `http://127.0.0.1:PORT` (a server on every interface is reached through 127.0.0.1 too).
    public var baseURL: String { "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)" }

    /// The full URL of `path` on this server, e.g. `url("/page/3")`.
    public func url(_ path: String) -> String {
        baseURL + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// The URLs of pages `0..<count`.
    public func pageURLs(count: Int) -> [String] {
        (0..<count).map { url("/page/\($0)") }
    }

    /// A snapshot of the counters.
    public var statistics: Statistics { core.statistics }

    /// Zeroes the counters (the peak restarts from the requests in progress now).
    public func resetStatistics() { core.resetStatistics() }

    /// Stops accepting, interrupts pending delays, closes the listening socket and joins every
    /// server thread. Idempotent; also called by `deinit`.
    public func stop() {
        EarlyEnd.unregister(core)
        core.stop()
    }

    /// Creates the listening socket on `host:port` and reads back the port (the kernel picks one
    /// for port 0).
    private static func listen(host: String, port: UInt16) throws(HTTPServerError) -> (fd: Int32, port: UInt16) {
        guard let address = Sockets.address(host: host, port: port) else { throw .system(call: "inet_pton", errno: EINVAL) }
        let fd = makeTCPSocket()
        guard fd >= 0 else { throw .system(call: "socket", errno: errno) }
        // A port can be listened on again at once after a stop, while connections of the
        // previous server still linger (TIME_WAIT; both servers need the option). Two live
        // listeners still cannot share a port.
        var on: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var failedCall = ""
        guard bindAndListen(fd, to: address, backlog: 128, failedCall: &failedCall) == 0 else {
            let code = errno
            close(fd)
            throw .system(call: failedCall, errno: code)
        }
        guard let address = boundAddress(of: fd) else {
            let code = errno
            close(fd)
            throw .system(call: "getsockname", errno: code)
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }
}

/// Why the server could not start.
public enum HTTPServerError: Error, Equatable, CustomStringConvertible {
    case system(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .system(let call, let code): "local HTTP server: \(call) failed: \(Sockets.describe(code))"
        }
    }
}

/// A parsed request, as a custom route handler sees it.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// The path without the query, percent-decoded: `/page/3`.
    public var path: String
    /// Query parameters, percent-decoded: `["delay": "500"]`.
    public var query: [String: String]
    /// Header fields with lower-cased names.
    public var headers: [String: String]
    /// The body (empty for GET and HEAD, which are served without reading one).
    public var body: [UInt8] = []
}

/// The part of the server that its threads hold on to. The public `LocalHTTPServer` owns it, so
/// dropping the last reference to the server runs its `deinit`, which stops everything.
private final class ServerCore: Sendable {
    let listenFD: Int32
    let port: UInt16
    let stopRead: Int32
    let stopWrite: Int32
    let configuration: LocalHTTPServer.Configuration
    private let state = LockedValue(State())

    private struct State {
        var stopped = false
        var acceptThread: ThreadHandle?
        var statistics = LocalHTTPServer.Statistics()
        var nextConnection = 0
        /// Connection threads not joined yet, by connection number.
        var connectionThreads: [Int: ThreadHandle] = [:]
        /// Connections whose thread has finished and can be joined without waiting.
        var finishedConnections: [Int] = []
    }

    init(listenFD: Int32, port: UInt16, stopRead: Int32, stopWrite: Int32, configuration: LocalHTTPServer.Configuration) {
        self.listenFD = listenFD
        self.port = port
        self.stopRead = stopRead
        self.stopWrite = stopWrite
        self.configuration = configuration
    }

    var statistics: LocalHTTPServer.Statistics { state.withLock { $0.statistics } }

    /// Thread names start with `srv<port>-` (a debugger or `top -H` then shows which server they belong to).
    var threadNamePrefix: String { "srv\(port)-" }

    func resetStatistics() {
        state.withLock { state in
            let current = state.statistics
            state.statistics = .init(
                requestsInProgress: current.requestsInProgress,
                peakConcurrentRequests: current.requestsInProgress,
                openConnections: current.openConnections)
        }
    }

    func startAccepting() -> Bool {
        guard let thread = Threads.start(name: "\(threadNamePrefix)accept", { self.acceptLoop() }) else { return false }
        state.withLock { $0.acceptThread = thread }
        return true
    }

    func stop() {
        let (wasStopped, acceptThread) = state.withLock { state in
            defer { state.stopped = true }
            return (state.stopped, state.acceptThread)
        }
        guard !wasStopped else { return }
        // One byte in the pipe makes it readable for good: every poll watching it wakes up.
        var byte: UInt8 = 1
        _ = write(stopWrite, &byte, 1)
        if let acceptThread { Threads.join(acceptThread) }
        // The accept loop has ended, so no new connection thread can appear.
        for thread in state.withLock({ Array($0.connectionThreads.values) }) {
            Threads.join(thread)
        }
        state.withLock { $0.connectionThreads.removeAll() }
        close(listenFD)
        close(stopRead)
        close(stopWrite)
    }

    // MARK: Accepting

    private func acceptLoop() {
        while true {
            joinFinishedConnections()
            do {
                try Sockets.wait(for: Int16(POLLIN), on: listenFD, until: nil, stopFD: stopRead)
            } catch {
                return  // stopped (or poll itself failed)
            }
            let client = acceptConnection(on: listenFD)
            if client < 0 {
                if errno == EMFILE || errno == ENFILE { usleep(10_000) }  // out of descriptors: let some close
                continue
            }
            let number = state.withLock { state in
                state.nextConnection += 1
                state.statistics.connectionsAccepted += 1
                state.statistics.openConnections += 1
                return state.nextConnection
            }
            let thread = Threads.start(name: "\(threadNamePrefix)\(number)") {
                self.serve(client)
                self.state.withLock { state in
                    state.statistics.openConnections -= 1
                    state.finishedConnections.append(number)
                }
            }
            if let thread {
                state.withLock { $0.connectionThreads[number] = thread }
            } else {
                close(client)
                state.withLock { $0.statistics.openConnections -= 1 }
            }
        }
    }

    private func joinFinishedConnections() {
        let finished: [ThreadHandle] = state.withLock { state in
            let threads = state.finishedConnections.compactMap { state.connectionThreads.removeValue(forKey: $0) }
            state.finishedConnections.removeAll()
            return threads
        }
        finished.forEach(Threads.join)
    }

    // MARK: Serving one connection

    private func serve(_ client: Int32) {
        defer { close(client) }
        let deadline = ContinuousClock.now + configuration.requestTimeout
        let reply: LocalHTTPServer.Reply
        var isHead = false
        switch readRequestHead(from: client, until: deadline) {
        case .closed, .stopped:
            return
        case .tooSlow:
            reply = .init(status: 408, text: "408 Request Timeout\n")
        case .head(let bytes):
            switch HTTPRequestParser.parse(bytes) {
            case .failure(let problem):
                reply = .init(status: problem.status, text: "\(problem.status) \(HTTPStatus.reason(problem.status)): \(problem.message)\n")
            case .success(var request):
                isHead = request.method == "HEAD"
                switch readBody(of: request, head: bytes, from: client, until: deadline) {
                case .closed:
                    return
                case .refused(let refusal):
                    reply = refusal
                case .body(let body):
                    request.body = body
                    reply = LocalHTTPServer.reply(to: request, configuration: configuration)
                }
            }
        }
        beginRequest()
        do {
            if reply.delay > .zero { try Sockets.pause(for: reply.delay, stopFD: stopRead) }
        } catch {
            endRequest(answered: false)
            return
        }
        endRequest(answered: true)
        let bytes = HTTPStatus.responseBytes(for: reply, includeBody: !isHead, allowedMethods: configuration.methods)
        do {
            try Sockets.sendAll(bytes, to: client, until: ContinuousClock.now + .seconds(10), stopFD: stopRead)
            // Half-close and read until the client hangs up, so unread input cannot turn our close into a reset.
            shutdown(client, Int32(SHUT_WR))
            let lingerDeadline = ContinuousClock.now + .milliseconds(250)
            while try !Sockets.receive(from: client, limit: 4_096, until: lingerDeadline, stopFD: stopRead).isEmpty {}
        } catch {
            return  // the client went away, or the server is stopping: nothing more to do
        }
    }

    private func beginRequest() {
        state.withLock { state in
            state.statistics.requestsInProgress += 1
            state.statistics.peakConcurrentRequests = max(state.statistics.peakConcurrentRequests, state.statistics.requestsInProgress)
        }
    }

    /// Counted before the reply is sent, so a client holding the reply always sees it counted.
    private func endRequest(answered: Bool) {
        state.withLock { state in
            state.statistics.requestsInProgress -= 1
            if answered { state.statistics.requestsServed += 1 }
        }
    }

    private enum HeadReadResult {
        case head([UInt8])
        case closed
        case tooSlow
        case stopped
    }

    private enum BodyReadResult {
        case body([UInt8])
        case refused(LocalHTTPServer.Reply)
        case closed
    }

    /// The body of `request`: `Content-Length` bytes, the first of them already read with the
    /// head. GET and HEAD, and methods the server refuses anyway, are served without reading one.
    private func readBody(
        of request: HTTPRequest, head: [UInt8], from client: Int32, until deadline: ContinuousClock.Instant
    ) -> BodyReadResult {
        guard request.method != "GET", request.method != "HEAD", configuration.methods.contains(request.method) else {
            return .body([])
        }
        guard request.headers["transfer-encoding"] == nil else {
            return .refused(.init(status: 411, text: "411 Length Required: send the body with a Content-Length, not in chunks\n"))
        }
        guard let lengthText = request.headers["content-length"] else {
            return .refused(.init(status: 411, text: "411 Length Required: a \(request.method) needs a Content-Length\n"))
        }
        guard let length = Int(lengthText), length >= 0 else {
            return .refused(.init(status: 400, text: "400 Bad Request: bad Content-Length: \(lengthText)\n"))
        }
        // Refused before it is read: a client cannot make the server hold more than the limit.
        guard length <= configuration.maximumBodySize else {
            return .refused(.init(status: 413, text: "413 Content Too Large: the body has \(length) bytes, at most \(configuration.maximumBodySize) are accepted\n"))
        }
        var body = Array(head[(HTTPRequestParser.endOfHead(in: head) ?? head.count)...].prefix(length))
        while body.count < length {
            do {
                let chunk = try Sockets.receive(from: client, limit: min(64 * 1024, length - body.count), until: deadline, stopFD: stopRead)
                if chunk.isEmpty {
                    return .refused(.init(status: 400, text: "400 Bad Request: the body ended after \(body.count) of \(length) bytes\n"))
                }
                body += chunk
            } catch .timedOut {
                return .refused(.init(status: 408, text: "408 Request Timeout\n"))
            } catch {
                return .closed  // the server is stopping, or the client went away
            }
        }
        return .body(body)
    }

    /// Reads up to the blank line that ends the request head (at most 16 KiB; more is passed on
    /// to the parser, which rejects it).
    private func readRequestHead(from client: Int32, until deadline: ContinuousClock.Instant) -> HeadReadResult {
        var received: [UInt8] = []
        while HTTPRequestParser.endOfHead(in: received) == nil && received.count <= HTTPRequestParser.maximumHeadSize {
            do {
                let chunk = try Sockets.receive(from: client, limit: 4_096, until: deadline, stopFD: stopRead)
                if chunk.isEmpty { return received.isEmpty ? .closed : .head(received) }
                received += chunk
            } catch .timedOut {
                return received.isEmpty ? .closed : .tooSlow
            } catch .stopped {
                return .stopped
            } catch {
                return .closed
            }
        }
        return .head(received)
    }
}
