import ConcurrentFutures
import SystemPlatform
import Testing

@testable import LessonSupport

/// Runs jobs `0..<count` on `threads` plain threads and waits for all of them.
/// (Deliberately not the workbook's pool: these tests check the server on its own.)
func runOnThreads(_ count: Int, threads: Int, _ job: @escaping @Sendable (Int) -> Void) {
    let next = LockedValue(0)
    let started = (0..<threads).compactMap { index in
        Threads.start(name: "test-client-\(index)") {
            while let item = next.withLock({ (next: inout Int) -> Int? in
                guard next < count else { return nil }
                next += 1
                return next - 1
            }) {
                job(item)
            }
        }
    }
    started.forEach(Threads.join)
}

@Suite("LocalHTTPServer and HTTPClient")
struct LocalHTTPServerTests {
    @Test("serves pages with the configured size and exact content")
    func servesPages() throws {
        let server = try LocalHTTPServer(configuration: .init(pageSize: 5_000))
        let response = try HTTPClient.get(server.url("/page/7"), timeout: .seconds(5))
        #expect(response.status == 200)
        let isExactPage = response.body == LocalHTTPServer.pageBody(number: 7, size: 5_000)
        #expect(isExactPage)
        #expect(response.header("Content-Length") == "5000")
        #expect(response.header("connection") == "close")
        #expect(response.text.hasPrefix("Page 7 "))
    }

    @Test("20 clients on 8 threads all get their own page, and requests overlap")
    func concurrentClients() throws {
        let server = try LocalHTTPServer(configuration: .init(pageSize: 3_000, pageDelay: .milliseconds(200)))
        let port = server.port
        let bodies = LockedValue<[Int: [UInt8]]>([:])
        let failures = LockedValue<[String]>([])
        let stopwatch = Stopwatch()
        runOnThreads(20, threads: 8) { index in
            do {
                let response = try HTTPClient.get(port: port, path: "/page/\(index)", timeout: .seconds(10))
                bodies.withLock { $0[index] = response.body }
            } catch {
                failures.withLock { $0.append("page \(index): \(error)") }
            }
        }
        let elapsed = stopwatch.elapsed
        #expect(failures.withLock { $0 }.isEmpty)
        let received = bodies.withLock { $0 }
        #expect(received.count == 20)
        for index in 0..<20 {
            let isExactPage = received[index] == LocalHTTPServer.pageBody(number: index, size: 3_000)
            #expect(isExactPage, "page \(index)")
        }
        let statistics = server.statistics
        #expect(statistics.requestsServed == 20)
        #expect(statistics.peakConcurrentRequests > 1)
        #expect(statistics.peakConcurrentRequests <= 8)
        // 20 requests of 200 ms on 8 threads need 3 rounds (0.6 s): far less than 4 s one by one.
        #expect(elapsed >= .milliseconds(600))
        #expect(elapsed < .seconds(3))
    }

    @Test("one client at a time is never counted as concurrent")
    func sequentialClientsPeakAtOne() throws {
        let server = try LocalHTTPServer(configuration: .init(pageDelay: .milliseconds(5)))
        for index in 0..<5 {
            _ = try HTTPClient.get(server.url("/page/\(index)"))
        }
        #expect(server.statistics.peakConcurrentRequests == 1)
        #expect(server.statistics.requestsServed == 5)
        server.resetStatistics()
        // One snapshot: the last client's connection may close between two reads of the
        // statistics, so the expected value takes its open connections from the same snapshot.
        let afterReset = server.statistics
        #expect(afterReset == LocalHTTPServer.Statistics(openConnections: afterReset.openConnections))
    }

    @Test("the page delay and ?delay= are honoured")
    func delays() throws {
        let server = try LocalHTTPServer(configuration: .init(pageDelay: .milliseconds(400)))
        let (_, pageTime) = try Stopwatch.measure { try HTTPClient.get(server.url("/page/1")) }
        #expect(pageTime >= .milliseconds(400))
        #expect(pageTime < .seconds(2))
        let (_, fastTime) = try Stopwatch.measure { try HTTPClient.get(server.url("/page/1?delay=0")) }
        #expect(fastTime < .milliseconds(300))
        let (response, slowTime) = try Stopwatch.measure { try HTTPClient.get(server.url("/status/200?delay=250")) }
        #expect(response.status == 200)
        #expect(slowTime >= .milliseconds(250))
    }

    @Test("query parameters set the size and the status on any path")
    func queryParameters() throws {
        let server = try LocalHTTPServer()
        let large = try HTTPClient.get(server.url("/page/2?size=100000"))
        let isExactPage = large.body == LocalHTTPServer.pageBody(number: 2, size: 100_000)
        #expect(isExactPage)
        let failing = try HTTPClient.get(server.url("/page/2?status=503"))
        #expect(failing.status == 503)
        #expect(failing.reason == "Service Unavailable")
        #expect(failing.text == "503 Service Unavailable\n")
        let anywhere = try HTTPClient.get(server.url("/no/such/thing?status=200&size=10"))
        #expect(anywhere.status == 200)
        #expect(anywhere.body.count == 10)
        let bad = try HTTPClient.get(server.url("/page/1?delay=soon"))
        #expect(bad.status == 400)
    }

    @Test("status routes, unknown paths, missing pages and other methods")
    func errorStatuses() throws {
        let server = try LocalHTTPServer(configuration: .init(pageCount: 3))
        #expect(try HTTPClient.get(server.url("/status/404")).status == 404)
        #expect(try HTTPClient.get(server.url("/status/500")).status == 500)
        #expect(try HTTPClient.get(server.url("/nothing-here")).status == 404)
        #expect(try HTTPClient.get(server.url("/page/2")).status == 200)
        #expect(try HTTPClient.get(server.url("/page/3")).status == 404)
        #expect(try HTTPClient.get(server.url("/")).text.contains("/page/N"))
        let post = try HTTPClient.exchange(Array("POST /page/1 HTTP/1.1\r\nHost: x\r\n\r\n".utf8), port: server.port)
        #expect(post.status == 405)
        #expect(post.header("allow") == "GET, HEAD")
        let head = try HTTPClient.exchange(Array("HEAD /page/1 HTTP/1.1\r\n\r\n".utf8), port: server.port)
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
    }

    @Test("malformed requests get 400 and never take the server down",
          arguments: [
              "GARBAGE\r\n\r\n",
              "GET /page/1\r\n\r\n",
              "GET page/1 HTTP/1.1\r\n\r\n",
              "GET /page/1 HTTP/9.9\r\n\r\n",
              "get /page/1 HTTP/1.1\r\n\r\n",
              "GET /page/1 HTTP/1.1\r\nNo colon here\r\n\r\n",
              "GET /page/%zz HTTP/1.1\r\n\r\n",
              "GET /page/1 HTTP/1.1\r\n: no name\r\n\r\n",
              "\r\n\r\n",
          ])
    func malformedRequests(request: String) throws {
        let server = try LocalHTTPServer()
        let response = try HTTPClient.exchange(Array(request.utf8), port: server.port, timeout: .seconds(5))
        #expect(response.status == 400)
        #expect(try HTTPClient.get(server.url("/page/1")).status == 200)
    }

    @Test("invalid UTF-8 and an oversized head get 400")
    func hostileBytes() throws {
        let server = try LocalHTTPServer()
        let invalid = try HTTPClient.exchange([0x47, 0x45, 0x54, 0x20, 0x2F, 0xC3, 0x28, 0x0D, 0x0A, 0x0D, 0x0A], port: server.port)
        #expect(invalid.status == 400)
        let huge = "GET / HTTP/1.1\r\nX-Filler: " + String(repeating: "a", count: 40_000) + "\r\n\r\n"
        let oversized = try HTTPClient.exchange(Array(huge.utf8), port: server.port)
        #expect(oversized.status == 400)
    }

    @Test("a client that connects and says nothing is timed out with 408")
    func silentClient() throws {
        let server = try LocalHTTPServer(configuration: .init(requestTimeout: .milliseconds(200)))
        let response = try HTTPClient.exchange(Array("GET /page/1 HT".utf8), port: server.port, timeout: .seconds(5))
        #expect(response.status == 408)
    }

    @Test("a custom handler answers first and falls back to the built-in routes")
    func customHandler() throws {
        let server = try LocalHTTPServer(configuration: .init(handler: { request in
            request.path == "/hello" ? .init(text: "hi \(request.query["name"] ?? "?")") : nil
        }))
        #expect(try HTTPClient.get(server.url("/hello?name=Ada%20L")).text == "hi Ada L")
        #expect(try HTTPClient.get(server.url("/page/0")).status == 200)
    }

    @Test("stop() closes the port, interrupts slow replies and joins the threads")
    func stopFreesEverything() throws {
        let server = try LocalHTTPServer(configuration: .init(pageDelay: .seconds(30)))
        let port = server.port
        let outcome = LockedValue<String?>(nil)
        let client = Threads.start(name: "slow-client") {
            do {
                _ = try HTTPClient.get(port: port, path: "/page/1", timeout: .seconds(20))
                outcome.withLock { $0 = "answered" }
            } catch {
                outcome.withLock { $0 = "\(error)" }
            }
        }
        let waitForRequest = ContinuousClock.now + .seconds(5)
        while server.statistics.requestsInProgress == 0 && ContinuousClock.now < waitForRequest {
            usleep(1_000)
        }
        #expect(server.statistics.requestsInProgress == 1)
        let (_, stopTime) = Stopwatch.measure { server.stop() }
        #expect(stopTime < .seconds(2))
        #expect(server.statistics.openConnections == 0)
        #expect(server.statistics.requestsInProgress == 0)
        if let client { Threads.join(client) }
        #expect(outcome.withLock { $0 } != "answered")
        #expect(throws: HTTPClientError.connectionRefused(host: "127.0.0.1", port: port)) {
            try HTTPClient.get(port: port, path: "/", timeout: .seconds(2))
        }
        server.stop()  // a second stop is harmless
    }

    @Test("the server's threads are gone after stop()")
    func threadsAreJoined() throws {
        let server = try LocalHTTPServer(configuration: .init(pageDelay: .seconds(30)))
        let prefix = "srv\(server.port)-"
        // A thread names itself as the first thing it does (macOS allows nothing else), so the
        // name can appear a moment after the server has started.
        #expect(eventually { threadNames().filter { $0.hasPrefix(prefix) } == [prefix + "accept"] })
        runOnThreads(3, threads: 3) { _ in _ = try? HTTPClient.get(port: server.port, path: "/page/1", timeout: .milliseconds(300)) }
        #expect(threadNames().filter { $0.hasPrefix(prefix) }.count >= 2)
        server.stop()
        #expect(threadNames().filter { $0.hasPrefix(prefix) }.isEmpty)
    }

    @Test("dropping the last reference stops the server")
    func deinitStops() throws {
        var server: LocalHTTPServer? = try LocalHTTPServer()
        let port = server!.port
        #expect(try HTTPClient.get(port: port, path: "/").status == 200)
        server = nil
        #expect(throws: HTTPClientError.connectionRefused(host: "127.0.0.1", port: port)) {
            try HTTPClient.get(port: port, path: "/", timeout: .seconds(2))
        }
    }

    @Test("two servers get different ports")
    func separatePorts() throws {
        let first = try LocalHTTPServer()
        let second = try LocalHTTPServer()
        #expect(first.port != second.port)
        #expect(first.port > 0)
        #expect(first.baseURL == "http://127.0.0.1:\(first.port)")
    }
}

@Suite("HTTPClient errors")
struct HTTPClientErrorTests {
    @Test("a port nobody listens on is refused")
    func refused() throws {
        let port = try LocalHTTPServer().port  // a port that was free a moment ago and is closed again now
        let error = caught(HTTPClientError.self) { try HTTPClient.get(port: port, path: "/") }
        #expect(error == .connectionRefused(host: "127.0.0.1", port: port))
        #expect(error?.description.contains("refused") == true)
    }

    @Test("a reply slower than the timeout is a timeout")
    func timeout() throws {
        let server = try LocalHTTPServer(configuration: .init(pageDelay: .seconds(5)))
        let (error, elapsed) = Stopwatch.measure {
            #expect(throws: HTTPClientError.self) { try HTTPClient.get(server.url("/page/1"), timeout: .milliseconds(200)) }
        }
        #expect(error == .timedOut(after: .milliseconds(200)))
        #expect(elapsed >= .milliseconds(200))
        #expect(elapsed < .seconds(2))
        #expect(error?.description == "timed out after 200.0 ms")
    }

    @Test("invalid URLs are rejected before connecting",
          arguments: ["https://127.0.0.1/", "ftp://x", "http://:80/", "http://127.0.0.1:notaport/", "http://example.com/"])
    func invalidURLs(url: String) {
        #expect(throws: HTTPClientError.self) { try HTTPClient.get(url, timeout: .seconds(1)) }
    }

    @Test("URLs are split into host, port and path")
    func urlParts() throws {
        let full = try HTTPURL("http://127.0.0.1:8080/page/1?x=2")
        #expect(full.host == "127.0.0.1" && full.port == 8080 && full.pathAndQuery == "/page/1?x=2")
        let bare = try HTTPURL("http://localhost:9")
        #expect(bare.host == "localhost" && bare.port == 9 && bare.pathAndQuery == "/")
    }

    @Test("malformed and truncated responses are reported, not trusted")
    func malformedResponses() throws {
        #expect(throws: HTTPClientError.malformedResponse("bad status line: HTTX/1.1 200 OK")) {
            try HTTPResponse.parse(Array("HTTX/1.1 200 OK\r\n\r\n".utf8), complete: true)
        }
        #expect(throws: HTTPClientError.malformedResponse("body ended after 2 of 10 bytes")) {
            try HTTPResponse.parse(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab".utf8), complete: true)
        }
        #expect(try HTTPResponse.parse(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab".utf8), complete: false) == nil)
        let whole = try HTTPResponse.parse(Array("HTTP/1.0 404 Not Found\r\nX-A: b\r\n\r\nnope".utf8), complete: true)
        #expect(whole == HTTPResponse(status: 404, reason: "Not Found", headers: ["x-a": "b"], body: Array("nope".utf8)))
        #expect(throws: HTTPClientError.httpStatus(404, reason: "Not Found")) { try whole?.ensureSuccess() }
    }
}

/// The names of this process's threads, as the operating system keeps them.
func threadNames() -> [String] {
    threadSnapshots().map(\.name)
}

/// Polls `condition` every millisecond until it holds or 5 seconds pass.
func eventually(_ condition: () -> Bool) -> Bool {
    for _ in 0..<5_000 {
        if condition() { return true }
        usleep(1_000)
    }
    return condition()
}

/// The error that `body` throws, if it is an `E`; `nil` if it throws nothing or something else.
/// (`#expect(throws:)` hands back the error only from Swift 6.1 on; the package supports 6.0.)
func caught<E: Error, R>(_ type: E.Type, _ body: () throws -> R) -> E? {
    do { _ = try body(); return nil } catch { return error as? E }
}
