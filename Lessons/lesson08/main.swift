// Lesson 08 — Timeouts
//
// A timeout limits how long the caller waits, not how long the task runs. The lesson times out
// `result`, `asCompleted` and `map` on slow downloads, watches a timed-out task finish anyway,
// makes the work itself give up, and spreads one deadline over many calls.
//
//   swift run lesson08            normal speed (about 4 s)
//   swift run lesson08 --fast     delays divided by 10
//   swift run lesson08 --help

import ConcurrentFutures
import LessonSupport

let info = LessonInfo(
    number: 8, title: "Timeouts",
    summary: "Puts timeouts on result, asCompleted and map over slow downloads from a local\n"
        + "HTTP server, shows that a timed-out task keeps running, and shares one\n"
        + "deadline between many calls.")
let options = LessonOptions.parseOrExit(info)
let server = try LocalHTTPServer(configuration: .init(pageSize: 1_500, pageDelay: options.scaled(.milliseconds(100))))
let base = server.baseURL

/// Downloads one page; a reply that is not 2xx becomes an error. Blocking.
func fetch(_ url: String) throws -> HTTPResponse {
    try HTTPClient.get(url, timeout: .seconds(10)).ensureSuccess()
}

/// The URL of page `number`, answered after `milliseconds` (scaled down with --fast).
func slowPage(_ number: Int, milliseconds: Int) -> String {
    "\(base)/page/\(number)?delay=\(Int(options.scaled(.milliseconds(milliseconds)).inMilliseconds))"
}

/// `milliseconds`, scaled down with --fast.
func ms(_ milliseconds: Int) -> Duration {
    options.scaled(.milliseconds(milliseconds))
}

/// The pages (by number) of the futures in `futures`, as a readable list.
func pageList(_ numbers: [Int]) -> String {
    numbers.isEmpty ? "none" : numbers.sorted().map { "page \($0)" }.joined(separator: ", ")
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
    Every way of waiting in this library takes a `timeout`: `result`, `exception`, `map`, \
    `asCompleted` and `wait`. A timeout answers one question, "how long am I willing to wait?", \
    and it is easy to believe it answers another, "how long may the work take?". This lesson \
    pulls the two apart.

    The lesson's server at \(base) answers slowly on request: `/page/1?delay=800` takes 800 ms.
    """)

// MARK: - 1

section("1. result(timeout:)")
say("""
    A download that takes \(ms(800).readable), and a caller willing to wait \(ms(200).readable). \
    `result(timeout:)` throws `TimeoutError` when the time is up. Then the caller changes its \
    mind and waits without a limit.
    """)
code(
    swift: """
        let future = try pool.submit { try fetch(slowURL) }
        do {
            let page = try future.result(timeout: .milliseconds(200))
        } catch let error as TimeoutError {
            print(error, future.isRunning)
        }
        let page = try future.result()   // no limit
        """,
    python: """
        future = pool.submit(fetch, slow_url)
        try:
            page = future.result(timeout=0.2)
        except TimeoutError as error:
            print(error, future.running())
        page = future.result()
        """)
let firstRecorder = TaskEventRecorder()
var mainSpans: [TimelineSpan] = []
try withThreadPool(maxWorkers: 1, threadNamePrefix: "worker", observer: firstRecorder.record) { pool in
    let url = slowPage(1, milliseconds: 800)
    let clock = Stopwatch()
    let future = try pool.submit(label: "1") { try fetch(url) }
    let firstWait = ContinuousClock.now
    do {
        let page = try future.result(timeout: ms(200))
        result("result(timeout:) returned", "\(page.body.count) bytes (unexpected!)")
    } catch let error as TimeoutError {
        result("at \(clock.elapsed.readable), result(timeout:) threw", "TimeoutError")
        note("\(error)")
        result("the task is still running", "\(future.isRunning)")
    }
    let secondWait = ContinuousClock.now
    mainSpans.append(TimelineSpan(worker: "main", label: "timed out", submitted: firstWait, started: firstWait, finished: secondWait))
    let page = try future.result()
    mainSpans.append(TimelineSpan(worker: "main", label: "result()", submitted: secondWait, started: secondWait, finished: .now))
    result("at \(clock.elapsed.readable), result() returned", "\(page.body.count) bytes")
}
showTimeline([TimelineSection("one slow download, waited for twice", spans: TimelineSpan.spans(from: firstRecorder.events) + mainSpans)])
say("""
    The task ran from start to end, undisturbed, while the caller gave up and came back. \
    The timeout ended the wait, not the download. The same future could be asked again, and \
    still had the page when it arrived.
    """)

// MARK: - 2

section("2. A timed-out task keeps running: to stop the work, give it a deadline")
say("""
    A thread cannot safely be stopped from outside in the middle of a blocking call, in Swift as in \
    Python. If the work must not take longer than some limit, the limit has to be inside the \
    work. Here the task gives the HTTP client its own timeout of \(ms(200).readable), on the \
    same \(ms(800).readable) page: the socket gives up, the task fails, and the worker is free.
    """)
code(
    swift: """
        let future = try pool.submit {
            try HTTPClient.get(slowURL,
                timeout: .milliseconds(200))
        }
        """,
    python: """
        future = pool.submit(
            lambda: urlopen(slow_url,
                            timeout=0.2).read())
        """)
try withThreadPool(maxWorkers: 1, threadNamePrefix: "worker") { pool in
    let url = slowPage(2, milliseconds: 800)
    let limit = ms(200)
    let clock = Stopwatch()
    let future = try pool.submit { try HTTPClient.get(url, timeout: limit).ensureSuccess() }
    if let error = try future.exception() {
        result("at \(clock.elapsed.readable), the task itself failed", "\(error)")
    }
    let next = try pool.submit { try fetch(slowPage(3, milliseconds: 50)) }
    result("at \(clock.elapsed.readable), the same worker finished the next task", "\(try next.result().body.count) bytes")
}
note("Most blocking APIs take a timeout of their own: sockets, HTTP clients, database drivers, locks. Use them inside tasks.")

// MARK: - 3

section("3. asCompleted(timeout:): keep what came in time")
let asCompletedDelays = [100, 550, 250, 700, 150]
let loopTimeout = ms(400)
say("""
    One deadline for a whole `asCompleted` loop: five pages taking \
    \(asCompletedDelays.map { ms($0).readable }.joined(separator: ", ")), and \(loopTimeout.readable) \
    in all. The loop keeps the pages that arrive in time; the `TimeoutError` says how many did \
    not.
    """)
code(
    swift: """
        var kept: [Int] = []
        do {
            try asCompleted(pageOf.keys, timeout: .milliseconds(400))
                .forEach { kept.append(pageOf[$0]!) }
        } catch let error as TimeoutError {
            print(error)
        }
        """,
    python: """
        kept = []
        try:
            for f in as_completed(page_of, timeout=0.4):
                kept.append(page_of[f])
        except TimeoutError as error:
            print(error)
        """)
try withThreadPool(maxWorkers: 5, threadNamePrefix: "worker") { pool in
    var pageOf: [Future<HTTPResponse>: Int] = [:]
    for (number, delay) in asCompletedDelays.enumerated() {
        let url = slowPage(number, milliseconds: delay)
        pageOf[try pool.submit { try fetch(url) }] = number
    }
    let clock = Stopwatch()
    var kept: [Int] = []
    do {
        try asCompleted(pageOf.keys, timeout: loopTimeout).forEach { future in
            _ = try future.result()
            kept.append(pageOf[future]!)
        }
    } catch let error as TimeoutError {
        result("at \(clock.elapsed.readable), the loop ended with", "\(error)")
    }
    let late = pageOf.filter { !$0.key.isDone }.map(\.value)
    result("kept", pageList(kept))
    result("late, still running", pageList(late))
    for future in pageOf.keys where !future.isDone { _ = try future.result() }  // let them finish; read their outcome
    result("the late ones finished at", clock.elapsed.readable)
}

// MARK: - 4

section("4. map(timeout:): one deadline for the whole iteration")
say("""
    The `timeout` of `map` is counted from the call to `map`, not per item: it is a deadline for \
    the whole iteration, as in Python. One worker and five pages of \(ms(150).readable) each, \
    with a timeout of \(ms(400).readable). No single page is anywhere near the limit, and yet:
    """)
code(
    swift: """
        let pages = try pool.map(urls, timeout: .milliseconds(400)) {
            try fetch($0)
        }
        while let page = try pages.next() { ... }
        """,
    python: """
        pages = pool.map(fetch, urls, timeout=0.4)
        for page in pages: ...
        """)
let mapRecorder = TaskEventRecorder()
var handedOut = 0
try withThreadPool(maxWorkers: 1, threadNamePrefix: "worker", observer: mapRecorder.record) { pool in
    let urls = (0..<5).map { slowPage($0, milliseconds: 150) }
    let clock = Stopwatch()
    let pages = try pool.map(urls, timeout: ms(400)) { try fetch($0) }
    do {
        while let page = try pages.next() {
            result("page \(handedOut) at \(clock.elapsed.readable)", "\(page.body.count) bytes")
            handedOut += 1
        }
    } catch let error as TimeoutError {
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
    \(handedOut) of the 5 pages were handed out within the \(ms(400).readable). The one being \
    downloaded at the deadline was not stopped: it finished on its own, unseen (\(mapped) \
    downloads ran to the end in all). The pages still queued never started. To limit each item \
    instead, put the limit in the task, as in section 2.
    """)

// MARK: - 5

section("5. One deadline across many calls")
let budget = ms(500)
let deadlineDelays = [100, 300, 450, 700, 900]
say("""
    A request handler has \(budget.readable) in all and five results to collect, arriving after \
    \(deadlineDelays.map { ms($0).readable }.joined(separator: ", ")). Giving each \
    `result(timeout:)` the full \(budget.readable) is a classic mistake: each wait is within \
    its limit, but the limits add up. The fix is to fix the deadline once, and give each call \
    only the time that is left.
    """)
code(
    swift: """
        let deadline = ContinuousClock.now + .milliseconds(500)
        for future in futures {
            let remaining = max(.zero, deadline - .now)
            do {
                kept.append(try future.result(timeout: remaining))
            } catch is TimeoutError {
                late.append(future)
            }
        }
        """,
    python: """
        deadline = time.monotonic() + 0.5
        for future in futures:
            remaining = max(0, deadline - time.monotonic())
            try:
                kept.append(future.result(timeout=remaining))
            except TimeoutError:
                late.append(future)
        """)

/// Collects the five results on a fresh pool, giving each `result(timeout:)` what `timeoutFor`
/// says, and prints how many were kept and how long it took.
func collect(_ title: String, timeoutFor: (ContinuousClock.Instant) -> Duration) throws {
    try withThreadPool(maxWorkers: deadlineDelays.count, threadNamePrefix: "worker") { pool in
        let futures = try deadlineDelays.enumerated().map { number, delay in
            let url = slowPage(number, milliseconds: delay)
            return try pool.submit { try fetch(url) }
        }
        let clock = Stopwatch()
        var kept = 0
        var late: [Future<HTTPResponse>] = []
        for future in futures {
            do {
                _ = try future.result(timeout: timeoutFor(clock.start))
                kept += 1
            } catch is TimeoutError {
                late.append(future)
            }
        }
        let elapsed = clock.elapsed
        result(title, "\(kept) kept, \(late.count) late, after \(elapsed.readable)")
        result("time taken compared with the budget", Stopwatch.speedUp(from: elapsed, to: budget))
        for future in late { _ = try future.result() }  // read every outcome before the pool goes
    }
}
try collect("the full \(budget.readable) for each call") { _ in budget }
try collect("one deadline, the time left for each") { start in
    let deadline = start + budget
    return max(.zero, deadline - .now)
}
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
    command: "swift run workbook check 08a",
    description: "Keep what finished in time. Fetch a list of URLs under one deadline: keep the pages and "
        + "the failures that came in time, and list the URLs that were late.")
nextStep(command: "swift run lesson09")
