import SystemPlatform

/// A tiny blocking HTTP/1.1 client over real sockets, for talking to `LocalHTTPServer`.
///
/// Blocking on purpose: the calling thread waits for the network, which is exactly the kind of
/// work a thread pool overlaps. (Python: `urllib.request.urlopen(url, timeout=...).read()`.)
///
/// ```swift
/// let response = try HTTPClient.get("http://127.0.0.1:\(port)/page/3", timeout: .seconds(2))
/// print(response.status, response.body.count)
/// ```
public enum HTTPClient {
    /// Responses larger than this are refused as malformed.
    public static let maximumResponseSize = 64 << 20

    /// `GET url` (`http://HOST:PORT/path?query`, HOST an IPv4 address or `localhost`).
    /// Any status is returned as a response; see `HTTPResponse.ensureSuccess()` to treat 4xx/5xx as errors.
    public static func get(_ url: String, timeout: Duration = .seconds(10)) throws(HTTPClientError) -> HTTPResponse {
        let target = try HTTPURL(url)
        return try get(port: target.port, path: target.pathAndQuery, host: target.host, timeout: timeout)
    }

    /// `GET path` from `host:port`.
    public static func get(
        port: UInt16, path: String, host: String = "127.0.0.1", timeout: Duration = .seconds(10)
    ) throws(HTTPClientError) -> HTTPResponse {
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUser-Agent: LessonSupport\r\nConnection: close\r\n\r\n"
        return try exchange(Array(request.utf8), port: port, host: host, timeout: timeout)
    }

    /// `POST url` with `body` (JSON unless `contentType` says otherwise) and extra header fields.
    /// (Python: `urllib.request.urlopen(Request(url, data=body, headers=...), timeout=...)`.)
    ///
    /// ```swift
    /// let reply = try HTTPClient.post(server.url("/report"), body: Array(json.utf8), timeout: .milliseconds(300))
    /// ```
    /// The timeout covers everything: connecting, sending and the whole response.
    public static func post(
        _ url: String, body: [UInt8], contentType: String = "application/json",
        headers: [String: String] = [:], timeout: Duration = .seconds(10)
    ) throws(HTTPClientError) -> HTTPResponse {
        let target = try HTTPURL(url)
        var head = "POST \(target.pathAndQuery) HTTP/1.1\r\nHost: \(target.host):\(target.port)\r\nUser-Agent: LessonSupport\r\n"
        head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
        // A line break in a value would start a header (or a body) of its own: none gets through.
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            head += "\(name.filter { !$0.isNewline }): \(value.filter { !$0.isNewline })\r\n"
        }
        head += "Connection: close\r\n\r\n"
        return try exchange(Array(head.utf8) + body, port: target.port, host: target.host, timeout: timeout)
    }

    /// Sends `request` exactly as given and reads the response: for experiments and for testing
    /// how the server treats a malformed request.
    public static func exchange(
        _ request: [UInt8], port: UInt16, host: String = "127.0.0.1", timeout: Duration = .seconds(10)
    ) throws(HTTPClientError) -> HTTPResponse {
        let deadline = ContinuousClock.now + timeout
        let hasBody = !request.starts(with: "HEAD ".utf8)  // the reply to HEAD has headers only
        let fd = try connect(host: host, port: port, until: deadline, timeout: timeout)
        defer { close(fd) }
        var received: [UInt8] = []
        do {
            do {
                try Sockets.sendAll(request, to: fd, until: deadline)
            } catch {
                // The server answered before reading everything (413 for a body too large) and
                // closed its side: its reply may be waiting to be read.
                guard case .system(_, let code) = error, code == EPIPE || code == ECONNRESET else { throw error }
            }
            while true {
                if let response = try HTTPResponse.parse(received, complete: false, hasBody: hasBody) { return response }
                let chunk = try Sockets.receive(from: fd, until: deadline)
                if chunk.isEmpty { break }
                received += chunk
                guard received.count <= maximumResponseSize else {
                    throw HTTPClientError.malformedResponse("response larger than \(maximumResponseSize) bytes")
                }
            }
        } catch let failure as Sockets.Failure {
            throw HTTPClientError(failure, timeout: timeout)
        } catch let error as HTTPClientError {
            throw error
        } catch {
            throw .malformedResponse("\(error)")
        }
        guard let response = try HTTPResponse.parse(received, complete: true, hasBody: hasBody) else {
            throw .malformedResponse(received.isEmpty ? "the server closed the connection without replying" : "truncated response")
        }
        return response
    }

    /// Opens a non-blocking TCP connection to `host:port`, giving up at `deadline`.
    private static func connect(host: String, port: UInt16, until deadline: ContinuousClock.Instant, timeout: Duration) throws(HTTPClientError) -> Int32 {
        guard let address = Sockets.address(host: host == "localhost" ? "127.0.0.1" : host, port: port) else {
            throw .invalidURL("host must be an IPv4 address or localhost: \(host)")
        }
        let fd = makeTCPSocket()
        guard fd >= 0 else { throw .system(call: "socket", errno: errno) }
        let started = connectSocket(fd, to: address)
        var code = started == 0 ? 0 : errno
        if code == EINPROGRESS {
            do {
                try Sockets.wait(for: Int16(POLLOUT), on: fd, until: deadline)
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
            } catch {
                close(fd)
                throw HTTPClientError(error, timeout: timeout)
            }
        }
        guard code == 0 else {
            close(fd)
            throw code == ECONNREFUSED ? .connectionRefused(host: host, port: port) : .system(call: "connect", errno: code)
        }
        return fd
    }
}

/// A response: status, headers (names lower-cased) and the body bytes.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var reason: String
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, reason: String, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    /// The body decoded as UTF-8 (invalid bytes become U+FFFD).
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// `true` for a 2xx status.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The value of header `name`, whatever its case.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// Returns the response if its status is 2xx, and throws `HTTPClientError.httpStatus` otherwise
    /// (like `raise_for_status()` in Python's `requests`).
    @discardableResult
    public func ensureSuccess() throws(HTTPClientError) -> HTTPResponse {
        guard isSuccess else { throw .httpStatus(status, reason: reason) }
        return self
    }

    /// Parses `bytes` received so far. Returns `nil` if more bytes are needed; when `complete` (the
    /// server has closed the connection) a body without `Content-Length` runs to the end.
    /// `hasBody` is `false` for the reply to a HEAD request.
    static func parse(_ bytes: [UInt8], complete: Bool, hasBody: Bool = true) throws(HTTPClientError) -> HTTPResponse? {
        guard let end = HTTPRequestParser.endOfHead(in: bytes) else {
            if bytes.count > HTTPRequestParser.maximumHeadSize { throw .malformedResponse("response head too large") }
            return nil
        }
        guard let head = String(validating: bytes[..<end], as: UTF8.self) else {
            throw .malformedResponse("response head is not valid UTF-8")
        }
        let lines = head.split(whereSeparator: isLineBreak)
        guard let statusLine = lines.first else { throw .malformedResponse("empty response") }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...999).contains(status) else {
            throw .malformedResponse("bad status line: \(statusLine)")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw .malformedResponse("bad header line: \(line)") }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingSpaces()
        }
        if headers["transfer-encoding"] != nil { throw .malformedResponse("chunked transfer encoding is not supported") }
        let reason = parts.count > 2 ? String(parts[2]) : ""
        guard hasBody else { return HTTPResponse(status: status, reason: reason, headers: headers, body: []) }
        let available = bytes.count - end
        if let lengthText = headers["content-length"] {
            guard let length = Int(lengthText), length >= 0 else { throw .malformedResponse("bad Content-Length: \(lengthText)") }
            if available < length {
                if complete { throw .malformedResponse("body ended after \(available) of \(length) bytes") }
                return nil
            }
            return HTTPResponse(status: status, reason: reason, headers: headers, body: Array(bytes[end..<(end + length)]))
        }
        guard complete else { return nil }
        return HTTPResponse(status: status, reason: reason, headers: headers, body: Array(bytes[end...]))
    }
}

/// What can go wrong with a request, with a readable description.
public enum HTTPClientError: Error, Equatable, CustomStringConvertible {
    case invalidURL(String)
    case connectionRefused(host: String, port: UInt16)
    case timedOut(after: Duration)
    case malformedResponse(String)
    /// Only from `HTTPResponse.ensureSuccess()`: the server answered with a non-2xx status.
    case httpStatus(Int, reason: String)
    case system(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .invalidURL(let detail): "invalid URL: \(detail)"
        case .connectionRefused(let host, let port): "connection refused by \(host):\(port) (is the server running?)"
        case .timedOut(let after): "timed out after \(after.readable)"
        case .malformedResponse(let detail): "malformed response: \(detail)"
        case .httpStatus(let status, let reason): "HTTP \(status) \(reason)"
        case .system(let call, let code): "\(call) failed: \(Sockets.describe(code))"
        }
    }

    init(_ failure: Sockets.Failure, timeout: Duration) {
        switch failure {
        case .timedOut, .stopped: self = .timedOut(after: timeout)
        case .system(let call, let code): self = .system(call: call, errno: code)
        }
    }
}

/// The parts of an `http://` URL the client needs.
struct HTTPURL: Equatable {
    var host: String
    var port: UInt16
    var pathAndQuery: String

    init(_ url: String) throws(HTTPClientError) {
        guard url.hasPrefix("http://") else { throw .invalidURL("only http:// URLs are supported: \(url)") }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        let path = rest.dropFirst(authority.count)
        pathAndQuery = path.isEmpty ? "/" : (path.hasPrefix("?") ? "/" + path : String(path))
        if let colon = authority.lastIndex(of: ":") {
            guard let port = UInt16(authority[authority.index(after: colon)...]), port > 0 else {
                throw .invalidURL("bad port in \(url)")
            }
            host = String(authority[..<colon])
            self.port = port
        } else {
            host = String(authority)
            port = 80
        }
        guard !host.isEmpty else { throw .invalidURL("missing host in \(url)") }
    }
}
