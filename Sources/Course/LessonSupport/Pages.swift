/// Downloads one page from `url`: a plain blocking HTTP GET, so the calling thread waits for
/// the whole reply. A reply that is not 2xx throws `HTTPClientError.httpStatus`; a server that
/// does not answer within 10 seconds throws `.timedOut`.
///
/// The lessons' stand-in for real network work: a worker thread that calls it waits on a
/// socket, exactly what a thread pool overlaps.
///
///     let page = try fetch(server.url("/page/3"))      // Python: urlopen(url).read()
///     print(page.status, page.body.count)
// snippet: fetch
public func fetch(_ url: String) throws -> HTTPResponse {
    try HTTPClient.get(url, timeout: .seconds(10)).ensureSuccess()
}
// snippet end
