import ConcurrentFutures
import SystemPlatform
import Testing

@testable import LessonSupport

/// What the workbook's live room needs from the lessons' server: a chosen address and port,
/// POST with a body of bounded size. The lessons' servers (GET and HEAD on 127.0.0.1, a free
/// port) are unchanged: `LocalHTTPServerTests`.
@Suite("LocalHTTPServer: bodies, methods and the address listened on")
struct LocalHTTPServerBodyTests {
    /// A server that takes POST and answers with what it received: method, path, body size
    /// and one header.
    static func echoServer(maximumBodySize: Int = 64 * 1024) throws -> LocalHTTPServer {
        try LocalHTTPServer(configuration: .init(methods: ["GET", "HEAD", "POST"], maximumBodySize: maximumBodySize) { request in
            guard request.method == "POST" else { return nil }
            let text = "\(request.method) \(request.path) \(request.body.count) \(request.headers["x-note"] ?? "-")"
            return .init(body: Array(text.utf8) + [0] + request.body)
        })
    }

    @Test("a POST body reaches the handler whole, also when it takes several reads")
    func postBody() throws {
        let server = try Self.echoServer()
        let body = (0..<40_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let response = try HTTPClient.post(server.url("/report"), body: body, headers: ["X-Note": "hello"], timeout: .seconds(5))
        #expect(response.status == 200)
        let separator = response.body.firstIndex(of: 0)!
        #expect(String(decoding: response.body[..<separator], as: UTF8.self) == "POST /report 40000 hello")
        let echoed = Array(response.body[(separator + 1)...]) == body
        #expect(echoed)
    }

    @Test("a body over the limit is refused with 413 before it is read; at the limit it is taken")
    func bodyLimit() throws {
        let server = try Self.echoServer(maximumBodySize: 1_000)
        let tooLarge = try HTTPClient.post(server.url("/report"), body: [UInt8](repeating: 65, count: 100_000), timeout: .seconds(5))
        #expect(tooLarge.status == 413)
        #expect(tooLarge.text == "413 Content Too Large: the body has 100000 bytes, at most 1000 are accepted\n")
        let atLimit = try HTTPClient.post(server.url("/report"), body: [UInt8](repeating: 65, count: 1_000), timeout: .seconds(5))
        #expect(atLimit.status == 200)
    }

    @Test("a POST without Content-Length, chunked, or with a short body is refused in one line")
    func badBodies() throws {
        let server = try Self.echoServer()
        let noLength = try HTTPClient.exchange(Array("POST /r HTTP/1.1\r\nHost: x\r\n\r\n".utf8), port: server.port)
        #expect(noLength.status == 411)
        let chunked = try HTTPClient.exchange(Array("POST /r HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".utf8), port: server.port)
        #expect(chunked.status == 411)
        let badLength = try HTTPClient.exchange(Array("POST /r HTTP/1.1\r\nContent-Length: -3\r\n\r\n".utf8), port: server.port)
        #expect(badLength.status == 400)
        // The client half-closes after 3 of 10 bytes: the server does not wait for the rest.
        let short = try Self.sendAndHalfClose(Array("POST /r HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc".utf8), port: server.port)
        #expect(short.status == 400)
        #expect(short.text == "400 Bad Request: the body ended after 3 of 10 bytes\n")
    }

    /// Sends `request`, closes the sending side (the server reads the end of the input), and
    /// reads the reply.
    static func sendAndHalfClose(_ request: [UInt8], port: UInt16) throws -> HTTPResponse {
        let deadline = ContinuousClock.now + .seconds(5)
        let fd = makeTCPSocket()
        defer { close(fd) }
        _ = connectSocket(fd, to: Sockets.address(host: "127.0.0.1", port: port)!)
        try Sockets.wait(for: Int16(POLLOUT), on: fd, until: deadline)
        try Sockets.sendAll(request, to: fd, until: deadline)
        shutdown(fd, Int32(SHUT_WR))
        var received: [UInt8] = []
        while case let chunk = try Sockets.receive(from: fd, until: deadline), !chunk.isEmpty { received += chunk }
        return try #require(try HTTPResponse.parse(received, complete: true))
    }

    @Test("methods outside the configuration get 405 with the list; other methods never reach the pages")
    func methods() throws {
        let server = try Self.echoServer()
        let put = try HTTPClient.exchange(Array("PUT /page/1 HTTP/1.1\r\nContent-Length: 0\r\n\r\n".utf8), port: server.port)
        #expect(put.status == 405)
        #expect(put.header("Allow") == "GET, HEAD, POST")
        #expect(put.text == "405 Method Not Allowed: only GET, HEAD and POST are served\n")
        let plain = try LocalHTTPServer()
        let post = try HTTPClient.post(plain.url("/page/1"), body: [1], timeout: .seconds(5))
        #expect(post.status == 405)
        #expect(post.header("Allow") == "GET, HEAD")
        #expect(post.text == "405 Method Not Allowed: only GET and HEAD are served\n")
        let postToPage = try LocalHTTPServer(configuration: .init(methods: ["GET", "POST"]))
        #expect(try HTTPClient.post(postToPage.url("/page/1"), body: [1], timeout: .seconds(5)).status == 404)
    }

    @Test("listens on the address and port it is given; a port in use is refused")
    func addressAndPort() throws {
        let first = try LocalHTTPServer(configuration: .init(host: "0.0.0.0"))
        #expect(first.host == "0.0.0.0")
        #expect(first.baseURL == "http://127.0.0.1:\(first.port)")
        #expect(try HTTPClient.get(first.url("/page/1"), timeout: .seconds(5)).status == 200)
        let port = first.port
        first.stop()
        // The port can be listened on again at once (SO_REUSEADDR), and only once.
        let again = try LocalHTTPServer(configuration: .init(port: port))
        #expect(again.port == port)
        #expect(try HTTPClient.get(again.url("/page/1"), timeout: .seconds(5)).status == 200)
        #expect(throws: HTTPServerError.system(call: "bind", errno: EADDRINUSE)) {
            try LocalHTTPServer(configuration: .init(port: port))
        }
        #expect(throws: HTTPServerError.system(call: "inet_pton", errno: EINVAL)) {
            try LocalHTTPServer(configuration: .init(host: "example.org"))
        }
    }

    @Test("line breaks in header values are dropped: a value cannot add a header")
    func headerValues() throws {
        let server = try Self.echoServer()
        let response = try HTTPClient.post(server.url("/r"), body: [], headers: ["X-Note": "a\r\nX-Evil: 1"], timeout: .seconds(5))
        #expect(response.text.hasPrefix("POST /r 0 aX-Evil: 1"))
    }
}
