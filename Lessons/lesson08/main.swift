// Lesson 08 — Timeouts
//
// A timeout limits how long the caller waits, not how long the task runs. The lesson times out
// `result`, `asCompleted` and `map` on slow downloads, watches a timed-out task finish anyway,
// makes the work itself give up, and spreads one deadline over many calls.
// The code it shows is in Examples.swift.
//
//   swift run lesson08            normal speed (about 4 s)
//   swift run lesson08 --fast     delays divided by 10
//   swift run lesson08 --step     pause after each section (presenter mode)
//   swift run lesson08 --help

import ConcurrentFutures
import LessonSupport

let info = LessonInfo(
    number: 8, title: "Timeouts",
    summary: "Puts timeouts on result, asCompleted and map over slow downloads from a local\n"
        + "HTTP server, shows that a timed-out task keeps running, and shares one\n"
        + "deadline between many calls.",
    sections: [
        "result(timeout:)", "A timed-out task keeps running: to stop the work, give it a deadline",
        "asCompleted(timeout:): keep what came in time", "map(timeout:): one deadline for the whole iteration",
        "One deadline across many calls",
    ])
let options = LessonOptions.parseOrExit(info)
let server = try LocalHTTPServer(configuration: .init(pageSize: 1_500, pageDelay: options.scaled(.milliseconds(100))))
let base = server.baseURL

/// `milliseconds`, scaled down with --fast.
func ms(_ milliseconds: Int) -> Duration {
    options.scaled(.milliseconds(milliseconds))
}

/// The URL of page `number`, answered after `milliseconds` (scaled down with --fast).
func slowPage(_ number: Int, milliseconds: Int) -> String {
    "\(base)/page/\(number)?delay=\(Int(ms(milliseconds).inMilliseconds))"
}

/// "page 1, page 3", or "none".
func pageList(_ numbers: [Int]) -> String {
    numbers.isEmpty ? "none" : numbers.sorted().map { "page \($0)" }.joined(separator: ", ")
}

lesson(info)
say("""
    Every way of waiting in this library takes a `timeout`: `result`, `exception`, `map`, \
    `asCompleted` and `wait`. A timeout answers one question, "how long am I willing to wait?", \
    and it is easy to believe it answers another, "how long may the work take?". This lesson \
    pulls the two apart.

    The lesson's server at \(base) answers slowly on request: `/page/1?delay=800` takes 800 ms.
    """)

section("result(timeout:)")
say("""
    A download that takes \(ms(800).readable), and a caller willing to wait \(ms(200).readable) \
    (`patience`). `result(timeout:)` throws `TimeoutError` when the time is up. Then the caller \
    changes its mind and waits without a limit.
    """)
code(
    snippet: "result-timeout",
    python: """
        future = pool.submit(fetch, slow_url)
        try:
            page = future.result(timeout=patience)
        except TimeoutError as error:
            report(error, future.running())
        page = future.result()
        """)
note("`mainRow.record` notes each wait for the timeline below.")
let firstRecorder = TaskEventRecorder()
let firstMainRow = SpanRecorder()
let firstClock = Stopwatch()
try withThreadPool(maxWorkers: 1, threadNamePrefix: "worker", observer: firstRecorder.record) { pool in
    try waitTwice(for: slowPage(1, milliseconds: 800), patience: ms(200), on: pool, mainRow: firstMainRow) { label, value in
        resultBlock("at \(firstClock.elapsed.readable), \(label)", value)
    }
}
Timeline.print([TimelineSection("one slow download, waited for twice", spans: TimelineSpan.spans(from: firstRecorder.events) + firstMainRow.spans)])
say("""
    The task ran from start to end, undisturbed, while the caller gave up and came back. \
    The timeout ended the wait, not the download. The same future could be asked again, and \
    still had the page when it arrived.
    """)

section("A timed-out task keeps running: to stop the work, give it a deadline")
say("""
    A thread cannot safely be stopped from outside in the middle of a blocking call, in Swift as in \
    Python. If the work must not take longer than some limit, the limit has to be inside the \
    work. Here the task gives the HTTP client its own timeout of \(ms(200).readable) (`limit`), \
    on the same \(ms(800).readable) page: the socket gives up, the task fails, and the worker is free.
    """)
code(
    snippet: "own-limit",
    python: """
        future = pool.submit(
            lambda: urlopen(slow_url,
                            timeout=limit).read())
        """)
try withThreadPool(maxWorkers: 1, threadNamePrefix: "worker") { pool in
    let clock = Stopwatch()
    let future = try fetchWithItsOwnLimit(slowPage(2, milliseconds: 800), limit: ms(200), on: pool)
    if let error = try future.exception() {
        result("at \(clock.elapsed.readable), the task itself failed", "\(error)")
    }
    let next = try pool.submit { try fetch(slowPage(3, milliseconds: 50)) }
    result("at \(clock.elapsed.readable), the same worker finished the next task", "\(try next.result().body.count) bytes")
}
note("Most blocking APIs take a timeout of their own: sockets, HTTP clients, database drivers, locks. Use them inside tasks.")

section("asCompleted(timeout:): keep what came in time")
let asCompletedDelays = [100, 550, 250, 700, 150]
let loopTimeout = ms(400)
say("""
    One deadline for a whole `asCompleted` loop: five pages taking \
    \(asCompletedDelays.map { ms($0).readable }.joined(separator: ", ")), and `loopTimeout` is \
    \(loopTimeout.readable) in all. The loop keeps the pages that arrive in time; the \
    `TimeoutError` says how many did not.
    """)
code(
    snippet: "as-completed",
    python: """
        kept = []
        try:
            for f in as_completed(page_of, timeout=loop_timeout):
                f.result()
                kept.append(page_of[f])
        except TimeoutError as error:
            return kept, error
        """)
try withThreadPool(maxWorkers: 5, threadNamePrefix: "worker") { pool in
    var pageOf: [Future<HTTPResponse>: Int] = [:]
    for (number, delay) in asCompletedDelays.enumerated() {
        let url = slowPage(number, milliseconds: delay)
        pageOf[try pool.submit { try fetch(url) }] = number
    }
    let clock = Stopwatch()
    let (kept, error) = try keepWhatCameInTime(pageOf, loopTimeout: loopTimeout)
    if let error { result("at \(clock.elapsed.readable), the loop ended with", "\(error)") }
    let late = pageOf.filter { !$0.key.isDone }.map(\.value)
    result("kept", pageList(kept))
    result("late, still running", pageList(late))
    for future in pageOf.keys where !future.isDone { _ = try future.result() }  // let them finish; read their outcome
    result("the late ones finished at", clock.elapsed.readable)
}

section("map(timeout:): one deadline for the whole iteration")
let mapTimeout = ms(400)
say("""
    The `timeout` of `map` is counted from the call to `map`, not per item: it is a deadline for \
    the whole iteration, as in Python. One worker and five pages of \(ms(150).readable) each, \
    with a `mapTimeout` of \(mapTimeout.readable). No single page is anywhere near the limit, and yet:
    """)
code(
    snippet: "map-timeout",
    python: """
        pages = pool.map(fetch, urls, timeout=map_timeout)
        try:
            for page in pages:
                hand_out(page)
        except TimeoutError as error:
            return error
        """)
let mapRecorder = TaskEventRecorder()
var handedOut = 0
try withThreadPool(maxWorkers: 1, threadNamePrefix: "worker", observer: mapRecorder.record) { pool in
    let clock = Stopwatch()
    let error = try mapUntil(mapTimeout, (0..<5).map { slowPage($0, milliseconds: 150) }, on: pool) { page in
        result("page \(handedOut) at \(clock.elapsed.readable)", "\(page.body.count) bytes")
        handedOut += 1
    }
    if let error {
        result("at \(clock.elapsed.readable), next() threw", "TimeoutError")
        note("\(error)")
    }
}
let mapped = mapRecorder.events.filter { if case .finished(.returned) = $0.kind { true } else { false } }.count
let cancelledByMap = mapRecorder.events.compactMap { event -> Int? in
    if case .finished(.cancelled) = event.kind { return event.taskID }
    return nil
}
result("cancelled before they started", pageList(cancelledByMap))
say("""
    \(handedOut) of the 5 pages were handed out within the \(mapTimeout.readable). The one being \
    downloaded at the deadline was not stopped: it finished on its own, unseen (\(mapped) \
    downloads ran to the end in all). The pages still queued never started. To limit each item \
    instead, put the limit in the task, as in section 2.
    """)

section("One deadline across many calls")
let budget = ms(500)
let deadlineDelays = [100, 300, 450, 700, 900]
say("""
    A request handler has \(budget.readable) in all (`budget`) and five results to collect, \
    arriving after \(deadlineDelays.map { ms($0).readable }.joined(separator: ", ")). Giving each \
    `result(timeout:)` the full \(budget.readable) is a classic mistake: each wait is within \
    its limit, but the limits add up. The fix is to fix the deadline once, and give each call \
    only the time that is left:
    """)
code(
    snippet: "one-deadline",
    python: """
        deadline = time.monotonic() + budget
        for future in futures:
            remaining = max(0, deadline - time.monotonic())
            try:
                future.result(timeout=remaining)
                kept += 1
            except TimeoutError:
                late.append(future)
        """)

/// Collects the five results on a fresh pool with `collect`, and prints how many were kept
/// and how long it took.
func compare(_ title: String, _ collect: ([Future<HTTPResponse>], Duration) throws -> (kept: Int, late: [Future<HTTPResponse>])) throws {
    try withThreadPool(maxWorkers: deadlineDelays.count, threadNamePrefix: "worker") { pool in
        let futures = try deadlineDelays.enumerated().map { number, delay in
            let url = slowPage(number, milliseconds: delay)
            return try pool.submit { try fetch(url) }
        }
        let (outcome, elapsed) = try Stopwatch.measure { try collect(futures, budget) }
        result(title, "\(outcome.kept) kept, \(outcome.late.count) late, after \(elapsed.readable)")
        result("time taken compared with the budget", Stopwatch.speedUp(from: elapsed, to: budget))
        for future in outcome.late { _ = try future.result() }  // read every outcome before the pool goes
    }
}
try compare("the full \(budget.readable) for each call", collectWithTheFullBudgetEach)
try compare("one deadline, the time left for each", collectBeforeTheDeadline)
say("""
    With a fixed timeout per call, every result came in, but well after the budget: nobody ever \
    waited longer than \(budget.readable) at once, yet the waits added up. With one deadline, \
    the handler answered on time with what it had, and knew exactly which results were late. \
    The same trick works for any sequence of waits: compute the deadline once, pass on the \
    remaining time.
    """)

server.stop()

takeaways([
    "`result(timeout:)`, `exception(timeout:)`, `asCompleted(timeout:)` and `map(timeout:)` throw `TimeoutError`; `wait(timeout:)` just returns.",
    "A timeout limits how long you wait, not how long the task runs: a timed-out task keeps running and can still be collected later.",
    "To bound the work itself, give the blocking call inside the task its own timeout.",
    "The timeouts of `map` and `asCompleted` are deadlines for the whole loop, counted from the call.",
    "For several waits under one budget, compute the deadline once and pass each call `max(.zero, deadline - .now)`.",
])
exercise(
    id: "08a",
    description: "Fetch everything at once; at the deadline keep the pages and the failures that arrived, list "
        + "the rest as late, and cancel what never started.")
nextStep(command: "swift run lesson09")
