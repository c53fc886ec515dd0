// The code lesson 07 shows, as it runs: each snippet between `// snippet: name` and
// `// snippet end` is printed by the lesson from this file.

import ConcurrentFutures
import LessonSupport

/// The error `fetchArticle` throws when a page is too short to be an article.
struct PageTooShort: Error, CustomStringConvertible {
    var url: String
    var bytes: Int
    var description: String { "PageTooShort: \(bytes) bytes at \(url)" }
}

/// Downloads a page and checks that it is long enough to be an article: two ways to fail.
func fetchArticle(_ url: String) throws -> HTTPResponse {
    let page = try fetch(url)
    guard page.body.count >= 1_000 else { throw PageTooShort(url: url, bytes: page.body.count) }
    return page
}

/// The error of the "fire and forget" task in section 5.
struct DiskFull: Error, CustomStringConvertible {
    var description: String { "DiskFull: no space left on the device" }
}

/// Section 1: a task that throws, its future printed once done, then `result()`.
func storedError(base: String, on pool: ThreadPoolExecutor, show: (String, String) -> Void) throws {
    // snippet: stored
    let future = try pool.submit { try fetchArticle(base + "/page/1?size=120") }
    _ = try wait([future])                  // done now; its outcome not looked at yet
    show("print(future)", shortDescription(future))
    do {
        let page = try future.result()
        show("result() returned", "\(page.body.count) bytes")
    } catch let error as PageTooShort {
        show("result() threw PageTooShort", "\(error.bytes) bytes at \(error.url)")
    }
    // snippet end
}

/// Section 2: each outcome looked at with `exception()`.
func sortOutcomes(_ paths: [String], base: String, on pool: ThreadPoolExecutor, report: (String, String) -> Void) throws {
    let futures = try paths.map { path in try pool.submit { try fetchArticle(base + path) } }
    // snippet: exception
    for (path, future) in zip(paths, futures) {
        if let error = try future.exception() {
            report(path, "failed: \(error)")
        } else {
            report(path, "ok, \(try future.result().body.count) bytes")
        }
    }
    // snippet end
}

/// Section 3: `map` over pages of which one fails; returns how many results came out, and the
/// error that ended the loop.
func mapUntilTheError(_ urls: [String], on pool: ThreadPoolExecutor) throws -> (received: Int, error: (any Error)?) {
    // snippet: map-error
    let pages = try pool.map(urls) { url in try fetch(url) }
    var received = 0
    do {
        while try pages.next() != nil { received += 1 }
    } catch {
        return (received, error)
    }
    // snippet end
    return (received, nil)
}

/// Section 3, continued: every page's own outcome.
func everyOutcome(_ urls: [String], on pool: ThreadPoolExecutor) throws -> [Result<HTTPResponse, any Error>] {
    // snippet: results
    let outcomes = try Array(pool.map(urls) { url in
        Result { try fetch(url) }
    })
    // snippet end
    return outcomes
}

/// Section 4: an `asCompleted` loop that keeps every error with its path.
func collectAll(_ paths: [String], base: String, on pool: ThreadPoolExecutor) throws -> (ok: [HTTPResponse], failed: [(path: String, error: any Error)]) {
    var pathOf: [Future<HTTPResponse>: String] = [:]
    for path in paths {
        pathOf[try pool.submit { try fetchArticle(base + path) }] = path
    }
    // snippet: as-completed
    var ok: [HTTPResponse] = []
    var failed: [(path: String, error: any Error)] = []
    for future in try Array(asCompleted(pathOf.keys)) {
        do {
            ok.append(try future.result())
        } catch {
            failed.append((pathOf[future]!, error))
        }
    }
    // snippet end
    return (ok, failed)
}

/// Section 5: two tasks that fail, one looked at and one forgotten, with the reports caught by
/// the lesson's own handler. `looked` gets the error that was read.
func forgetOneError(looked: (any Error) -> Void) throws -> [FutureDiagnostics.Report] {
    let reports = LockedValue<[FutureDiagnostics.Report]>([])
    // snippet: never-lose
    FutureDiagnostics.setHandler { report in reports.withLock { $0.append(report) } }
    try withThreadPool(maxWorkers: 2, threadNamePrefix: "lesson07") { pool in
        try pool.submit(label: "write report") { () throws -> Int in throw DiskFull() }  // nobody reads it
        let checked = try pool.submit(label: "send mail") { () throws -> Int in throw DiskFull() }
        if let error = try checked.exception() { looked(error) }                        // read: no report
    }  // the pool is gone: every future it made has been released
    FutureDiagnostics.setHandler(nil)    // the default again: standard error
    // snippet end
    return reports.withLock { $0 }
}
