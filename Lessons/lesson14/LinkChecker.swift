// Project 2 of lesson 14: a link checker against the lesson's web server.

import ConcurrentFutures
import LessonSupport

/// The page the link checker starts from: a list of links, some good, some not.
let siteIndex = """
    <html><body><h1>Workbook links</h1><ul>
    <li><a href="/page/1">Chapter 1</a></li>
    <li><a href="/page/2">Chapter 2</a></li>
    <li><a href="/page/3">Chapter 3</a></li>
    <li><a href="/page/2">Chapter 2 again</a></li>
    <li><a href="/page/4?delay=SLOW">Archive (slow server)</a></li>
    <li><a href="/page/5">Chapter 5</a></li>
    <li><a href="/old/chapter-6.html">Chapter 6 (moved)</a></li>
    <li><a href="/page/7">Chapter 7</a></li>
    <li><a href="/status/500">Search</a></li>
    <li><a href="/page/9">Chapter 9</a></li>
    <li><a href="/page/10?delay=SLOW">Mirror (slow server)</a></li>
    <li><a href="/status/503">Forum (down for maintenance)</a></li>
    <li><a href="/page/12">Chapter 12</a></li>
    <li><a href="http://127.0.0.1:1/">Old wiki (nobody listening)</a></li>
    <li><a href="/page/14">Chapter 14</a></li>
    <li><a href="/page/15">Chapter 15</a></li>
    </ul></body></html>
    """

/// Serves the site's index page at `/site/`; everything else goes to the built-in routes.
func siteHandler(slowDelay: Duration) -> @Sendable (HTTPRequest) -> LocalHTTPServer.Reply? {
    let page = siteIndex.replacingSlow(with: Int(slowDelay.inMilliseconds))
    return { request in
        request.path == "/site/" ? LocalHTTPServer.Reply(text: page) : nil
    }
}

extension String {
    /// The index page with the placeholder SLOW replaced by a number of milliseconds.
    func replacingSlow(with milliseconds: Int) -> String {
        split(separator: "SLOW", omittingEmptySubsequences: false).joined(separator: "\(milliseconds)")
    }
}

/// The targets of every `href="..."` in `html`, in order, without duplicates.
func links(in html: String) -> [String] {
    var found: [String] = []
    var rest = Substring(html)
    while let start = rest.firstRange(of: "href=\"") {
        rest = rest[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { break }
        let link = String(rest[..<end])
        if !found.contains(link) { found.append(link) }
        rest = rest[end...]
    }
    return found
}

/// What checking one link found.
enum LinkStatus: Sendable {
    case ok(Int)
    case broken(Int, String)
    case tooSlow
    case unreachable(String)
}

/// Checks one link: a GET with a deadline. Never throws: every outcome is a status.
func check(_ url: String, timeout: Duration) -> (status: LinkStatus, time: Duration) {
    let clock = Stopwatch()
    do {
        let response = try HTTPClient.get(url, timeout: timeout)
        let status: LinkStatus = response.isSuccess ? .ok(response.status) : .broken(response.status, response.reason)
        return (status, clock.elapsed)
    } catch .timedOut {
        return (.tooSlow, clock.elapsed)
    } catch {
        return (.unreachable("\(error)"), clock.elapsed)
    }
}


/// Checks every link at once on `pool`, each with its own deadline.
func checkAll(_ links: [String], timeout linkTimeout: Duration, on pool: ThreadPoolExecutor) throws -> [(status: LinkStatus, time: Duration)] {
    // snippet: link-checker
    let futures = try links.map { link in
        try pool.submit { check(link, timeout: linkTimeout) }
    }
    let checks = try futures.map { try $0.result() }
    // snippet end
    return checks
}
