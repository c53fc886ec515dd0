/// The HTTP/1.1 wire format, as much of it as the local server and client need: reason phrases,
/// writing a response, and reading a request head. Pure functions over bytes, easy to test.
enum HTTPStatus {
    /// The standard reason phrase for `status`, e.g. "Not Found" for 404.
    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 418: "I'm a teapot"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status \(status)"
        }
    }

    /// The bytes of a complete response: status line, headers, blank line, body.
    static func responseBytes(
        for reply: LocalHTTPServer.Reply, includeBody: Bool, allowedMethods: Set<String> = ["GET", "HEAD"]
    ) -> [UInt8] {
        var head = "HTTP/1.1 \(reply.status) \(reason(reply.status))\r\n"
        head += "Content-Type: \(reply.contentType)\r\n"
        head += "Content-Length: \(reply.body.count)\r\n"
        if reply.status == 405 { head += "Allow: \(methodList(allowedMethods, separator: ", "))\r\n" }
        head += "Connection: close\r\n"
        head += "Server: LessonSupport\r\n\r\n"
        return Array(head.utf8) + (includeBody ? reply.body : [])
    }
}

/// "GET, HEAD, POST": GET and HEAD first, then the others in alphabetical order.
func methodList(_ methods: Set<String>, separator: String, last: String? = nil) -> String {
    let rank = { (method: String) in method == "GET" ? 0 : method == "HEAD" ? 1 : 2 }
    let ordered = methods.sorted { (rank($0), $0) < (rank($1), $1) }
    guard let last, ordered.count > 1 else { return ordered.joined(separator: separator) }
    return ordered.dropLast().joined(separator: separator) + last + ordered.last!
}

/// Reads the request line and headers of an HTTP/1.x request, rejecting anything malformed.
enum HTTPRequestParser {
    /// A request head larger than this is refused.
    static let maximumHeadSize = 16 * 1024

    /// Why a request was refused, and with which status.
    struct Problem: Error, Equatable {
        var status: Int
        var message: String
    }

    /// The index just past the blank line ending the head (`\r\n\r\n`, or a lenient `\n\n`), if present.
    static func endOfHead(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        for index in 1..<bytes.count where bytes[index] == UInt8(ascii: "\n") {
            if bytes[index - 1] == UInt8(ascii: "\n") { return index + 1 }
            if index >= 3, bytes[index - 1] == UInt8(ascii: "\r"), bytes[index - 2] == UInt8(ascii: "\n") { return index + 1 }
        }
        return nil
    }

    /// Parses a request head (anything after the blank line is ignored).
    static func parse(_ bytes: [UInt8]) -> Result<HTTPRequest, Problem> {
        guard let end = endOfHead(in: bytes) else {
            if bytes.count > maximumHeadSize { return .failure(Problem(status: 400, message: "request head too large")) }
            return .failure(Problem(status: 400, message: "incomplete request head"))
        }
        guard end <= maximumHeadSize else { return .failure(Problem(status: 400, message: "request head too large")) }
        guard let text = String(validating: bytes[..<end], as: UTF8.self) else {
            return .failure(Problem(status: 400, message: "request head is not valid UTF-8"))
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: isLineBreak)
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let requestLine = lines.first else { return .failure(Problem(status: 400, message: "empty request")) }

        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(Problem(status: 400, message: "request line must be: METHOD /path HTTP/1.1")) }
        let method = String(parts[0])
        guard !method.isEmpty, method.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            return .failure(Problem(status: 400, message: "invalid method"))
        }
        guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            return .failure(Problem(status: 400, message: "unsupported protocol version"))
        }
        guard parts[1].hasPrefix("/") else { return .failure(Problem(status: 400, message: "the target must start with /")) }

        let target = parts[1]
        let pathPart = target.prefix { $0 != "?" }
        let queryPart = target.dropFirst(pathPart.count + 1)
        guard let path = percentDecoded(pathPart) else { return .failure(Problem(status: 400, message: "invalid percent-encoding in path")) }
        var query: [String: String] = [:]
        for pair in queryPart.split(separator: "&") {
            let key = pair.prefix { $0 != "=" }
            let value = pair.dropFirst(key.count + 1)
            guard let decodedKey = percentDecoded(key), let decodedValue = percentDecoded(value) else {
                return .failure(Problem(status: 400, message: "invalid percent-encoding in query"))
            }
            query[decodedKey] = decodedValue
        }

        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return .failure(Problem(status: 400, message: "header line without a colon")) }
            let name = line[..<colon]
            guard !name.isEmpty, !name.contains(where: { $0 == " " || $0 == "\t" }) else {
                return .failure(Problem(status: 400, message: "invalid header name"))
            }
            let value = line[line.index(after: colon)...].trimmingSpaces()
            headers[name.lowercased()] = value
        }
        return .success(HTTPRequest(method: method, path: path, query: query, headers: headers))
    }

    /// Decodes `%XX` escapes (and `+` as a space in queries is left alone: this server never needs it).
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// `true` for the end of a header line. In Swift "\r\n" is a single `Character`, so splitting
/// a `String` on "\n" alone would leave CRLF lines joined.
func isLineBreak(_ character: Character) -> Bool {
    character == "\r\n" || character == "\n"
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
