/// How the local server decides what to answer: the built-in routes and the query parameters
/// that every path understands. Pure functions of the request, separate from the socket work.
extension LocalHTTPServer {
    /// The reply to `request`: the custom handler's or a built-in route's, adjusted by the query.
    static func reply(to request: HTTPRequest, configuration: Configuration) -> Reply {
        guard configuration.methods.contains(request.method) else {
            let served = methodList(configuration.methods, separator: ", ", last: " and ")
            return .init(status: 405, text: "405 Method Not Allowed: only \(served) \(configuration.methods.count == 1 ? "is" : "are") served\n")
        }
        // The built-in routes are pages to read: other methods are for the handler alone.
        guard request.method == "GET" || request.method == "HEAD" else {
            return configuration.handler?(request)
                ?? .init(status: 404, text: "404 Not Found: nothing takes \(request.method) \(request.path)\n")
        }
        let overrides: QueryOverrides
        switch QueryOverrides.parse(request.query) {
        case .success(let parsed): overrides = parsed
        case .failure(let problem): return .init(status: 400, text: "400 Bad Request: \(problem.message)\n")
        }
        var reply = configuration.handler?(request) ?? builtInRoute(request.path, size: overrides.size, configuration: configuration)
        if let status = overrides.status {
            if !(200..<300).contains(status) || !(200..<300).contains(reply.status) {
                reply.body = Array("\(status) \(HTTPStatus.reason(status))\n".utf8)
            }
            reply.status = status
        }
        if let size = overrides.size, reply.body.count != size {
            reply.body = fitted(reply.body, to: size)
        }
        if let delay = overrides.delay {
            reply.delay = delay
        }
        return reply
    }

    private static func builtInRoute(_ path: String, size: Int?, configuration: Configuration) -> Reply {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if parts.isEmpty {
            return .init(text: """
                The workbook's local HTTP server.
                GET /page/N         page N (\(configuration.pageSize) bytes after \(configuration.pageDelay.readable))
                GET /status/CODE    a reply with that status
                Any path accepts ?delay=MS&size=BYTES&status=CODE

                """)
        }
        if parts.count == 2, parts[0] == "page", let number = Int(parts[1]), number >= 0,
            number < configuration.pageCount ?? Int.max
        {
            return .init(
                body: pageBody(number: number, size: size ?? configuration.pageSize),
                delay: configuration.pageDelay)
        }
        if parts.count == 2, parts[0] == "status", let status = Int(parts[1]), (200...599).contains(status) {
            return .init(status: status, text: "\(status) \(HTTPStatus.reason(status))\n")
        }
        return .init(status: 404, text: "404 Not Found: \(path)\n")
    }

    /// The exact body of `/page/number` at `size` bytes, so clients can check what they received.
    public static func pageBody(number: Int, size: Int) -> [UInt8] {
        fitted(Array("Page \(number) from the workbook's local server.\n".utf8), to: size)
    }

    /// Pads `body` with filler lines, or truncates it, to exactly `size` bytes.
    static func fitted(_ body: [UInt8], to size: Int) -> [UInt8] {
        if body.count >= size { return Array(body.prefix(size)) }
        let filler = Array("lorem ipsum dolor sit amet, consectetur adipiscing elit .........\n".utf8)
        var result = body
        result.reserveCapacity(size)
        while result.count < size {
            result += filler.prefix(size - result.count)
        }
        return result
    }
}

/// The query parameters every path understands: `delay`, `size` and `status`, validated.
private struct QueryOverrides {
    var delay: Duration?
    var size: Int?
    var status: Int?

    static func parse(_ query: [String: String]) -> Result<QueryOverrides, HTTPRequestParser.Problem> {
        var overrides = QueryOverrides()
        if let text = query["delay"] {
            guard let milliseconds = Int(text), (0...60_000).contains(milliseconds) else {
                return .failure(.init(status: 400, message: "delay must be a number of milliseconds from 0 to 60000"))
            }
            overrides.delay = .milliseconds(milliseconds)
        }
        if let text = query["size"] {
            guard let size = Int(text), (0...16 << 20).contains(size) else {
                return .failure(.init(status: 400, message: "size must be a number of bytes from 0 to 16777216"))
            }
            overrides.size = size
        }
        if let text = query["status"] {
            guard let status = Int(text), (200...599).contains(status) else {
                return .failure(.init(status: 400, message: "status must be a number from 200 to 599"))
            }
            overrides.status = status
        }
        return .success(overrides)
    }
}
