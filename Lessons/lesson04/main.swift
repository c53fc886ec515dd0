// Lesson 04 — asCompleted
//
// `asCompleted(futures)` hands futures back in the order they finish, so each result can be
// handled the moment it exists. The lesson handles the same five downloads in submission order
// and in completion order, draws both, then shows the future → input dictionary and a timeout
// on the whole loop. The code it shows is in Examples.swift.
//
//   swift run lesson04            normal speed (about 3 s)
//   swift run lesson04 --fast     delays divided by 10
//   swift run lesson04 --step     pause after each section (presenter mode)
//   swift run lesson04 --help

import ConcurrentFutures
import LessonSupport

let info = LessonInfo(
    number: 4, title: "asCompleted",
    summary: "Handles five downloads from a local HTTP server in submission order, then in\n"
        + "completion order with asCompleted, draws both on one timeline, and puts a\n"
        + "timeout on the whole loop.",
    sections: [
        "Submission order: each in its turn", "Completion order: asCompleted", "The picture",
        "The future → input dictionary", "A timeout on the whole loop",
    ])
let options = LessonOptions.parseOrExit(info)
let server = try LocalHTTPServer(configuration: .init(pageSize: 2_048, pageDelay: options.scaled(.milliseconds(100))))
let base = server.baseURL
let delays = [500, 150, 350, 50, 250].map { options.scaled(.milliseconds($0)) }
let handlingTime = options.scaled(.milliseconds(100))

/// The URL of page `number`, answered after `delay` (the server's `?delay=` parameter).
func pageURL(_ number: Int, delay: Duration) -> String {
    "\(base)/page/\(number)?delay=\(Int(delay.inMilliseconds))"
}
let urls = delays.enumerated().map { pageURL($0.offset, delay: $0.element) }

lesson(info)
say("""
    With `map`, results come back in input order, so a slow first input holds up everything \
    behind it. Often the order does not matter and you would rather handle each result as soon \
    as it exists: show it, save it, start the next step. That is what `asCompleted` is for.

    Five pages from the lesson's server at \(base), answered after \
    \(delays.map(\.readable).joined(separator: ", ")). Handling a page costs the main thread \
    another \(handlingTime.readable) (a small follow-up request), so when each page is handled \
    matters.
    """)

section("Submission order: each in its turn")
say("""
    Keep the futures in a list and call `result()` on each in turn. The loop handles page 0 first, \
    whatever happens, and page 0 is the slowest. (`handler.handle` makes the follow-up request \
    and notes it on the timeline's `main` row.)
    """)
code(
    snippet: "submission-order",
    python: """
        futures = [pool.submit(fetch, url)
                   for url in urls]
        for number, future in enumerate(futures):
            page = future.result()
            handler.handle(page, number)
        """)
let inOrderRecorder = TaskEventRecorder()
let inOrderHandler = PageHandler(base: base, handlingTime: handlingTime)
let inOrderClock = Stopwatch()
try withThreadPool(maxWorkers: 5, threadNamePrefix: "worker", observer: inOrderRecorder.record) { pool in
    try handleInSubmissionOrder(urls, on: pool, handler: inOrderHandler)
}
let inOrderTime = inOrderClock.elapsed
result("pages handled in this order", inOrderHandler.mainRow.spans.map(\.label).joined(separator: " "))
result("all handled after", inOrderTime.readable)

section("Completion order: asCompleted")
say("""
    `asCompleted(futures)` yields each future as soon as it is done. The loop no longer knows \
    which page comes next, so it looks the page number up in a dictionary from future to input, \
    built when submitting.
    """)
code(
    snippet: "completion-order",
    python: """
        number_of = {pool.submit(fetch, url): number
                     for number, url in enumerate(urls)}
        for future in as_completed(number_of):
            page = future.result()
            handler.handle(page, number_of[future])
        """)
let completionRecorder = TaskEventRecorder()
let completionHandler = PageHandler(base: base, handlingTime: handlingTime)
let completionClock = Stopwatch()
try withThreadPool(maxWorkers: 5, threadNamePrefix: "worker", observer: completionRecorder.record) { pool in
    try handleInCompletionOrder(urls, on: pool, handler: completionHandler)
}
let completionTime = completionClock.elapsed
result("pages handled in this order", completionHandler.mainRow.spans.map(\.label).joined(separator: " "))
result("all handled after", completionTime.readable)
result("compared with submission order", "\(Stopwatch.speedUp(from: inOrderTime, to: completionTime)) faster")

section("The picture")
Timeline.print([
    TimelineSection("submission order: result() on each future in turn", spans: TimelineSpan.spans(from: inOrderRecorder.events) + inOrderHandler.mainRow.spans),
    TimelineSection("completion order: asCompleted", spans: TimelineSpan.spans(from: completionRecorder.events) + completionHandler.mainRow.spans),
])
say("""
    The downloads (worker rows) are the same in both runs. The difference is the `main` row, \
    where each page was handled. In submission order, nothing could be handled before page 0 \
    arrived, so all five handlings queue up at the end. In completion order, the main thread \
    handled each page while the slower ones were still downloading: the handling overlapped \
    the waiting, and only the slowest page's handling is left at the end.
    """)
note("asCompleted yields each future exactly once. Futures already done when it is called come first, in the order you passed them.")

section("The future → input dictionary")
say("""
    A future does not tell you what it was submitted for. The usual answer, in Python as in \
    Swift, is a dictionary from future to input, made while submitting. Futures can be keys \
    because they compare by identity: two futures are equal only if they are the same object. \
    Here the inputs are paths, one of which fails, and the loop keeps going past the failure.
    """)
code(
    snippet: "dictionary",
    python: """
        path_of = {pool.submit(fetch, base + path): path
                   for path in paths}
        for future in as_completed(path_of):
            try:
                page = future.result()
                report(path_of[future], len(page))
            except Exception as error:
                report(path_of[future], error)
        """)
let paths = [
    "/page/7?delay=\(Int(options.scaled(.milliseconds(200)).inMilliseconds))&size=700",
    "/page/8?delay=\(Int(options.scaled(.milliseconds(100)).inMilliseconds))&status=404",
    "/page/9?delay=\(Int(options.scaled(.milliseconds(50)).inMilliseconds))&size=900",
]
try withThreadPool(maxWorkers: 3, threadNamePrefix: "worker") { pool in
    try fetchEachWithItsPath(paths, base: base, on: pool) { path, outcome in result(path, outcome) }
}
say("""
    Each result arrives with the input it belongs to, whatever order they finish in. A `do` / \
    `catch` around each `result()` handles one failure and moves on to the next future; one bad \
    input does not end the loop (more in lesson 07).
    """)

let loopTimeout = options.scaled(.milliseconds(400))
let timeoutDelays = [100, 250, 700, 900, 50].map { options.scaled(.milliseconds($0)) }
section("A timeout on the whole loop")
say("""
    `asCompleted(futures, timeout:)` sets one deadline for the entire loop, counted from the \
    call. If some futures are still unfinished when it passes, `next()` throws `TimeoutError`, \
    saying how many. Five pages taking \(timeoutDelays.map(\.readable).joined(separator: ", ")), \
    and `loopTimeout` is \(loopTimeout.readable) for all of them:
    """)
code(
    snippet: "timeout",
    python: """
        try:
            for future in as_completed(number_of,
                                       timeout=loop_timeout):
                future.result()
                arrived(number_of[future])
        except TimeoutError as error:
            return error
        """)
try withThreadPool(maxWorkers: 5, threadNamePrefix: "worker") { pool in
    var numberOf: [Future<HTTPResponse>: Int] = [:]
    for (number, delay) in timeoutDelays.enumerated() {
        let url = pageURL(number, delay: delay)
        numberOf[try pool.submit { try fetch(url) }] = number
    }
    let clock = Stopwatch()
    let timeout = try collectUntil(loopTimeout, numberOf: numberOf) { number in
        result("page \(number) at", clock.elapsed.readable)
    }
    if let timeout {
        result("at \(clock.elapsed.readable), next() threw", "\(timeout)")
        let unfinished = numberOf.filter { !$0.key.isDone }.sorted { $0.value < $1.value }
        for (future, number) in unfinished {
            result("page \(number) is still \(future.isRunning ? "running" : "pending"); cancel() returns", "\(future.cancel())")
        }
    }
}
say("""
    The loop got the three pages that made it in time, then gave up at the deadline; the error \
    counts the futures left behind. They were not stopped: `cancel()` cannot stop a task that \
    is already running, so they finished in the background (the pool's shutdown waited for \
    them). What to do with latecomers is your call: report them, cancel what is still queued, \
    or wait a little longer (lesson 08).
    """)

server.stop()

takeaways([
    "`asCompleted(futures)` yields each future as soon as it is done; Python's `as_completed`.",
    "Handling results in completion order overlaps the handling with the remaining waits; submission order makes everything wait for the slowest early item.",
    "Futures are hashable by identity: a `[Future: Input]` dictionary built while submitting tells you what each one was for.",
    "Call `result()` inside `do` / `catch` per future, so one failure does not end the loop.",
    "`asCompleted(futures, timeout:)` is one deadline for the whole loop; `TimeoutError` says how many futures were unfinished, and those keep running.",
])
exercise(
    id: "04a",
    description: "Download from every mirror at once and report each result the moment it arrives, together "
        + "with the mirror it came from.")
nextStep(command: "swift run lesson05")
