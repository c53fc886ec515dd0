// Lesson 07 — Exceptions
//
// An error thrown inside a task does not crash anything: it is stored in the task's future and
// thrown again by `result()`. The lesson shows where errors go, how `exception()` looks at them,
// how `map` and `asCompleted` loops deal with them, and how the library reports an error that
// nobody ever looked at. The code it shows is in Examples.swift.
//
//   swift run lesson07            normal speed (about 1.5 s)
//   swift run lesson07 --fast     delays divided by 10
//   swift run lesson07 --step     pause after each section (presenter mode)
//   swift run lesson07 --help

import ConcurrentFutures
import LessonSupport

let info = LessonInfo(
    number: 7, title: "Exceptions",
    summary: "Makes tasks fail on purpose (HTTP errors from a local server, errors of its\n"
        + "own) and follows each error: result(), exception(), map, asCompleted, and\n"
        + "errors nobody looked at.",
    sections: [
        "The error is stored, and result() throws it", "exception(): look at the error without throwing",
        "Errors in map: the loop stops at the failing item", "Errors in an asCompleted loop: handle each, keep going",
        "Never lose an error",
    ])
let options = LessonOptions.parseOrExit(info)
let pageDelay = options.scaled(.milliseconds(150))
let server = try LocalHTTPServer(configuration: .init(pageSize: 2_000, pageDelay: pageDelay))
let base = server.baseURL

lesson(info)
say("""
    A task runs on a worker thread, far from the code that submitted it. When it throws, there \
    is nobody on that thread to catch the error. The pool does the sensible thing: it catches it, \
    stores it in the task's future, and gets on with the next task. The error reaches you when \
    you ask the future, and only then.

    The lesson's server at \(base) can be asked to fail: `?status=404` answers "not found", \
    `?size=120` sends a page too short to be an article (`fetchArticle` throws `PageTooShort` \
    for anything under 1,000 bytes).
    """)

section("The error is stored, and result() throws it")
code(
    snippet: "stored",
    python: """
        future = pool.submit(fetch_article,
                             base + "/page/1?size=120")
        wait([future])
        print(future)
        try:
            page = future.result()
        except PageTooShort as error:
            print("too short:", error.bytes)
        """)
try withThreadPool(maxWorkers: 1, threadNamePrefix: "worker") { pool in
    try storedError(base: base, on: pool) { label, value in result(label, value) }
    let next = try pool.submit { try fetchArticle(base + "/page/2") }
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

section("exception(): look at the error without throwing")
say("""
    `exception()` waits like `result()`, but returns the error instead of throwing it, or `nil` \
    if the task succeeded. Handy for sorting outcomes. (It still throws if the future was \
    cancelled, or on a timeout.)
    """)
code(
    snippet: "exception",
    python: """
        for path, future in zip(paths, futures):
            if (error := future.exception()) is not None:
                report(path, f"failed: {error}")
            else:
                report(path, f"ok, {len(future.result())}")
        """)
try withThreadPool(maxWorkers: 3, threadNamePrefix: "worker") { pool in
    try sortOutcomes(["/page/3", "/page/4?status=404", "/page/5?size=120"], base: base, on: pool) { path, outcome in
        result(path, outcome)
    }
}

section("Errors in map: the loop stops at the failing item")
say("""
    `map` throws a task's error from `next()` when the iteration reaches that item, in input \
    order. The results before it have been handed out; the iteration is over, and the tasks that \
    have not started yet are cancelled. Eight pages on two workers; page 3 answers 500.
    """)
code(
    snippet: "map-error",
    python: """
        pages = pool.map(fetch, urls)
        received = 0
        try:
            for page in pages:
                received += 1
        except Exception as error:
            return received, error
        """)
let mapURLs = (0..<8).map { "\(base)/page/\($0)" + ($0 == 3 ? "?status=500" : "") }
let mapRecorder = TaskEventRecorder()
let stopped = try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker", observer: mapRecorder.record) { pool in
    try mapUntilTheError(mapURLs, on: pool)
}
result("received before the error", (0..<stopped.received).map { "page \($0)" }.joined(separator: ", "))
result("then next() threw", stopped.error.map { "\($0)" } ?? "nothing")
let mapEvents = mapRecorder.events
let cancelledPages = mapEvents.compactMap { event -> Int? in
    if case .finished(.cancelled) = event.kind { return event.taskID }
    return nil
}
let ranAfterError = mapEvents.compactMap { event -> Int? in
    if case .finished(.returned) = event.kind, event.taskID > 3 { return event.taskID }
    return nil
}
result("cancelled, never started", cancelledPages.isEmpty ? "none" : cancelledPages.sorted().map { "page \($0)" }.joined(separator: ", "))
result("already running, finished anyway", ranAfterError.isEmpty ? "none" : ranAfterError.sorted().map { "page \($0)" }.joined(separator: ", "))
Timeline.print([TimelineSection("map over 8 pages, 2 workers, page 3 fails", spans: TimelineSpan.spans(from: mapEvents))])
say("""
    The failed task is drawn with x. The pages after it that had already started ran to the \
    end, but their results were never handed out; the ones still queued never ran at all. When \
    one failure should not cost you the rest, make the task return a `Result` instead of \
    throwing: `map` then never throws, and every item reports its own outcome.
    """)
code(
    snippet: "results",
    python: """
        def fetch_or_error(url):
            try: return fetch(url)
            except Exception as e: return e
        outcomes = list(pool.map(fetch_or_error, urls))
        """)
let outcomes = try withThreadPool(maxWorkers: 4, threadNamePrefix: "worker") { pool in
    try everyOutcome(mapURLs, on: pool)
}
for (number, outcome) in outcomes.enumerated() {
    switch outcome {
    case .success(let page): result("page \(number)", "ok, \(page.body.count) bytes")
    case .failure(let error): result("page \(number)", "failed: \(error)")
    }
}

section("Errors in an asCompleted loop: handle each, keep going")
say("""
    In an `asCompleted` loop each future is handled on its own, so a `do` / `catch` around each \
    `result()` deals with one failure and moves on. Keep the input next to each future (the \
    dictionary of lesson 04) so that every error can be reported with what caused it.
    """)
code(
    snippet: "as-completed",
    python: """
        ok, failed = [], []
        for future in as_completed(path_of):
            try:
                ok.append(future.result())
            except Exception as error:
                failed.append((path_of[future], error))
        """)
let articlePaths = ["/page/10", "/page/11?status=404", "/page/12?size=300", "/page/13", "/page/14?status=503"]
let collected = try withThreadPool(maxWorkers: 5, threadNamePrefix: "worker") { pool in
    try collectAll(articlePaths, base: base, on: pool)
}
result("succeeded", "\(collected.ok.count) of \(articlePaths.count)")
for (path, error) in collected.failed.sorted(by: { $0.path < $1.path }) {
    result("failed: \(path)", "\(error)")
}

section("Never lose an error")
say("""
    An error is only seen if someone asks the future for it. A task submitted and forgotten \
    ("fire and forget") can fail without a trace: in Python, that error simply vanishes. This \
    library reports it instead: when a future that failed is released and nobody has read its \
    error (`result`, `exception`, a callback, `map`), the error goes to standard error, with \
    the task and pool it came from. The lesson installs a handler to show the reports here.
    """)
code(
    snippet: "never-lose",
    python: """
        # Python says nothing about the first one.
        # (asyncio would print "Future exception
        #  was never retrieved".)
        with ThreadPoolExecutor(2) as pool:
            pool.submit(write_report)
            checked = pool.submit(send_mail)
            checked.exception()
        """)
let reports = try forgetOneError { error in
    result("\"send mail\" failed, and we looked", "\(error)")
}
result("reports for 2 failed tasks", "\(reports.count)")
for report in reports {
    note(withShortAddresses(report.message))
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
    id: "07a",
    description: "Parse every line on a pool and return what parsed and what failed, each with its line and "
        + "its own error, in input order.")
nextStep(command: "swift run lesson08")
