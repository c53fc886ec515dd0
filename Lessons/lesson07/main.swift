// Lesson 07 — Exceptions
//
// An error thrown inside a task does not crash anything: it is stored in the task's future and
// thrown again by `result()`. The lesson shows where errors go, how `exception()` looks at them,
// how `map` and `asCompleted` loops deal with them, and how the library reports an error that
// nobody ever looked at.
//
//   swift run lesson07            normal speed (about 1.5 s)
//   swift run lesson07 --fast     delays divided by 10
//   swift run lesson07 --help

import ConcurrentFutures
import LessonSupport

let info = LessonInfo(
    number: 7, title: "Exceptions",
    summary: "Makes tasks fail on purpose (HTTP errors from a local server, errors of its\n"
        + "own) and follows each error: result(), exception(), map, asCompleted, and\n"
        + "errors nobody looked at.")
let options = LessonOptions.parseOrExit(info)
let pageDelay = options.scaled(.milliseconds(150))
let server = try LocalHTTPServer(configuration: .init(pageSize: 2_000, pageDelay: pageDelay))
let base = server.baseURL

/// Downloads one page; a reply that is not 2xx becomes an `HTTPClientError`. Blocking.
func fetch(_ url: String) throws -> HTTPResponse {
    try HTTPClient.get(url, timeout: .seconds(10)).ensureSuccess()
}

/// A future as `print` shows it, with its memory address cut short to fit the screen:
/// `<Future<Int> at 0x5f3a… state=running>`.
func shortDescription(_ future: some FutureProtocol) -> String {
    var text = "\(future)"
    guard let marker = text.firstRange(of: " at 0x") else { return text }
    let digitsEnd = text[marker.upperBound...].firstIndex { !$0.isHexDigit } ?? text.endIndex
    let kept = text.index(marker.upperBound, offsetBy: 4, limitedBy: digitsEnd) ?? digitsEnd
    text.replaceSubrange(kept..<digitsEnd, with: "…")
    return text
}

/// The error `fetchArticle` throws when a page is too short to be an article.
struct PageTooShort: Error, CustomStringConvertible {
    var url: String
    var bytes: Int
    var description: String { "PageTooShort: \(bytes) bytes at \(url)" }
}

/// Downloads a page and checks that it is long enough to be an article: two ways to fail.
func fetchArticle(_ path: String) throws -> HTTPResponse {
    let page = try fetch(base + path)
    guard page.body.count >= 1_000 else { throw PageTooShort(url: path, bytes: page.body.count) }
    return page
}

/// The error of the "fire and forget" task in section 5.
struct DiskFull: Error, CustomStringConvertible {
    var description: String { "DiskFull: no space left on the device" }
}

/// Draws a worker timeline. Like `Timeline.print`, but 8 columns narrower than the terminal:
/// the labels under the time axis may reach past the right end of the rows.
func showTimeline(_ sections: [TimelineSection]) {
    for line in Timeline.render(sections: sections, width: Terminal.width - 8, color: Terminal.isColorEnabled) {
        print(line)
    }
    print()
}

lesson(info)
say("""
    A task runs on a worker thread, far from the code that submitted it. When it throws, there \
    is nobody on that thread to catch the error. The pool does the sensible thing: it catches it, \
    stores it in the task's future, and gets on with the next task. The error reaches you when \
    you ask the future, and only then.

    The lesson's server at \(base) can be asked to fail: `?status=404` answers "not found", \
    `?size=120` sends a page too short to be an article.
    """)

// MARK: - 1

section("1. The error is stored, and result() throws it")
code(
    swift: """
        let future = try pool.submit { try fetchArticle("/page/1?size=120") }
        do {
            let page = try future.result()
        } catch let error as PageTooShort {
            print("too short:", error.bytes)
        }
        """,
    python: """
        future = pool.submit(fetch_article, "/page/1?size=120")
        try:
            page = future.result()
        except PageTooShort as error:
            print("too short:", error.bytes)
        """)
try withThreadPool(maxWorkers: 1, threadNamePrefix: "worker") { pool in
    let future = try pool.submit { try fetchArticle("/page/1?size=120") }
    _ = try wait([future])  // wait until it is done, without looking at the outcome
    print("  " + Terminal.paint("→ ", .green) + "print(future) once it is done:")
    print("    " + Terminal.paint(shortDescription(future), .bold))
    do {
        let page = try future.result()
        result("result()", "\(page.body.count) bytes (unexpected!)")
    } catch let error as PageTooShort {
        result("result() threw PageTooShort", "\(error.bytes) bytes at \(error.url)")
    }
    let next = try pool.submit { try fetchArticle("/page/2") }
    result("the same worker, next task", "\(try next.result().body.count) bytes")
    let statistics = pool.statistics
    result("pool statistics", "completed \(statistics.completed), failed \(statistics.failed)")
}
say("""
    The error kept its type and its data: `catch let error as PageTooShort` matched it and read \
    its fields, just as if `fetchArticle` had been called directly. The worker thread was not \
    harmed and ran the next task. Nothing was printed when the task failed: the error waits, \
    silently, in the future.
    """)

// MARK: - 2

section("2. exception(): look at the error without throwing")
say("""
    `exception()` waits like `result()`, but returns the error instead of throwing it, or `nil` \
    if the task succeeded. Handy for sorting outcomes. (It still throws if the future was \
    cancelled, or on a timeout.)
    """)
code(
    swift: """
        if let error = try future.exception() {
            print("failed:", error)
        } else {
            print("ok:", try future.result())
        }
        """,
    python: """
        if (error := future.exception()) is not None:
            print("failed:", error)
        else:
            print("ok:", future.result())
        """)
try withThreadPool(maxWorkers: 3, threadNamePrefix: "worker") { pool in
    let paths = ["/page/3", "/page/4?status=404", "/page/5?size=120"]
    let futures = try paths.map { path in try pool.submit { try fetchArticle(path) } }
    for (path, future) in zip(paths, futures) {
        if let error = try future.exception() {
            result(path, "failed: \(error)")
        } else {
            result(path, "ok, \(try future.result().body.count) bytes")
        }
    }
}

// MARK: - 3

section("3. Errors in map: the loop stops at the failing item")
say("""
    `map` throws a task's error from `next()` when the iteration reaches that item, in input \
    order. The results before it have been handed out; the iteration is over, and the tasks that \
    have not started yet are cancelled. Eight pages on two workers; page 3 answers 500.
    """)
code(
    swift: """
        let pages = try pool.map(urls) { try fetch($0) }
        do {
            while let page = try pages.next() { ... }
        } catch {
            print("map stopped:", error)
        }
        """,
    python: """
        pages = pool.map(fetch, urls)
        try:
            for page in pages: ...
        except Exception as error:
            print("map stopped:", error)
        """)
let mapURLs = (0..<8).map { "\(base)/page/\($0)" + ($0 == 3 ? "?status=500" : "") }
let mapRecorder = TaskEventRecorder()
try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker", observer: mapRecorder.record) { pool in
    let pages = try pool.map(mapURLs) { try fetch($0) }
    var received: [Int] = []
    do {
        while try pages.next() != nil { received.append(received.count) }
    } catch {
        result("received before the error", received.map { "page \($0)" }.joined(separator: ", "))
        result("then next() threw", "\(error)")
    }
}
let mapEvents = mapRecorder.events
let cancelledPages = mapEvents.compactMap { event -> Int? in
    if case .finished(.cancelled) = event.kind { return event.taskID }
    return nil
}
let ranAfterError = mapEvents.compactMap { event -> Int? in
    if case .finished(.returned) = event.kind, event.taskID > 3 { return event.taskID }
    return nil
}
result("cancelled, never started", cancelledPages.isEmpty ? "none" : cancelledPages.map { "page \($0)" }.joined(separator: ", "))
result("already running, finished anyway", ranAfterError.isEmpty ? "none" : ranAfterError.map { "page \($0)" }.joined(separator: ", "))
showTimeline([TimelineSection("map over 8 pages, 2 workers, page 3 fails", spans: TimelineSpan.spans(from: mapEvents))])
say("""
    The failed task is drawn with x. The pages after it that had already started ran to the \
    end, but their results were never handed out; the ones still queued never ran at all. When \
    one failure should not cost you the rest, make the task return a `Result` instead of \
    throwing: `map` then never throws, and every item reports its own outcome.
    """)
code(
    swift: """
        let outcomes = try Array(pool.map(urls) { url in
            Result { try fetch(url) }
        })
        """,
    python: """
        def fetch_or_error(url):
            try: return fetch(url)
            except Exception as e: return e
        outcomes = list(pool.map(fetch_or_error, urls))
        """)
let outcomes = try withThreadPool(maxWorkers: 4, threadNamePrefix: "worker") { pool in
    try Array(pool.map(mapURLs) { url in Result { try fetch(url) } })
}
for (number, outcome) in outcomes.enumerated() {
    switch outcome {
    case .success(let page): result("page \(number)", "ok, \(page.body.count) bytes")
    case .failure(let error): result("page \(number)", "failed: \(error)")
    }
}

// MARK: - 4

section("4. Errors in an asCompleted loop: handle each, keep going")
say("""
    In an `asCompleted` loop each future is handled on its own, so a `do` / `catch` around each \
    `result()` deals with one failure and moves on. Keep the input next to each future (the \
    dictionary of lesson 04) so that every error can be reported with what caused it.
    """)
code(
    swift: """
        for future in try Array(asCompleted(pathOf.keys)) {
            do {
                ok.append(try future.result())
            } catch {
                failed.append((pathOf[future]!, error))
            }
        }
        """,
    python: """
        for future in as_completed(path_of):
            try:
                ok.append(future.result())
            except Exception as error:
                failed.append((path_of[future], error))
        """)
try withThreadPool(maxWorkers: 5, threadNamePrefix: "worker") { pool in
    let paths = ["/page/10", "/page/11?status=404", "/page/12?size=300", "/page/13", "/page/14?status=503"]
    var pathOf: [Future<HTTPResponse>: String] = [:]
    for path in paths {
        pathOf[try pool.submit { try fetchArticle(path) }] = path
    }
    var ok: [HTTPResponse] = []
    var failed: [(path: String, error: any Error)] = []
    for future in try Array(asCompleted(pathOf.keys)) {
        do {
            ok.append(try future.result())
        } catch {
            failed.append((pathOf[future]!, error))
        }
    }
    result("succeeded", "\(ok.count) of \(paths.count)")
    for (path, error) in failed.sorted(by: { $0.path < $1.path }) {
        result("failed: \(path)", "\(error)")
    }
}

// MARK: - 5

section("5. Never lose an error")
say("""
    An error is only seen if someone asks the future for it. A task submitted and forgotten \
    ("fire and forget") can fail without a trace: in Python, that error simply vanishes. This \
    library reports it instead: when a future that failed is released and nobody has read its \
    error (`result`, `exception`, a callback, `map`), the error goes to standard error, with \
    the task and pool it came from. The lesson installs a handler to show the reports here.
    """)
code(
    swift: """
        FutureDiagnostics.setHandler { report in
            print(report.message)
        }
        try pool.submit(label: "write report") {
            throw DiskFull()             // nobody reads it
        }
        let checked = try pool.submit(label: "send mail") {
            throw DiskFull()
        }
        _ = try checked.exception()      // read: no report
        FutureDiagnostics.setHandler(nil)
        """,
    python: """
        # Python says nothing about the first one.
        # (asyncio would print "Future exception
        #  was never retrieved".)
        pool.submit(write_report)
        checked = pool.submit(send_mail)
        checked.exception()
        """)
let reports = LockedValue<[FutureDiagnostics.Report]>([])
FutureDiagnostics.setHandler { report in reports.withLock { $0.append(report) } }
try withThreadPool(maxWorkers: 2, threadNamePrefix: "lesson07") { pool in
    try pool.submit(label: "write report") { () throws -> Int in throw DiskFull() }
    let checked = try pool.submit(label: "send mail") { () throws -> Int in throw DiskFull() }
    if let error = try checked.exception() {
        result("\"send mail\" failed, and we looked", "\(error)")
    }
}  // the pool's threads are gone: every future of the pool has been released
FutureDiagnostics.setHandler(nil)
let collected = reports.withLock { $0 }
result("reports for 2 failed tasks", "\(collected.count)")
for report in collected {
    note(report.message)
}
say("""
    Only the task that nobody looked at was reported, naming its label and its pool. Read the \
    errors of every task you submit, even when you do not need its value: call `result()` or \
    `exception()`, iterate `map` to the end, or add a callback that logs failures.
    """)
note("FutureDiagnostics.reportsUnretrievedErrors = false turns these reports off; setHandler(nil) restores the default handler.")

server.stop()

takeaways([
    "An error thrown by a task is caught by the pool and stored in its future; `result()` throws it again, type and data intact.",
    "`exception()` returns the error (or `nil`) instead of throwing it: handy for sorting outcomes.",
    "In `map`, the first error in input order ends the iteration and cancels what has not started; return a `Result` to keep going.",
    "In an `asCompleted` loop, put `do` / `catch` around each `result()` and keep the input next to each future.",
    "An error nobody reads is reported as \"error never retrieved\"; always look at the outcome of every task.",
])
exercise(
    command: "swift run workbook check 07a",
    description: "Successes and failures. Parse many lines on a pool and sort every line into the parsed "
        + "ones, with their value, or the failed ones, with their error, keeping the input order.")
nextStep(command: "swift run lesson08")
