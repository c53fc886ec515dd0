// Lesson 03 — map
//
// `pool.map(items) { ... }` submits one task per item and hands the results back in input order,
// lazily: each `next()` waits only for the item it returns. The lesson shows that order, the
// waits, several inputs with `zip`, a timeout, what `chunkSize` saves and what `bufferSize` is for.
// The code it shows is in Examples.swift.
//
//   swift run lesson03            normal speed (about 3 s)
//   swift run lesson03 --fast     delays divided by 10, fewer tiny tasks
//   swift run lesson03 --step     pause after each section (presenter mode)
//   swift run lesson03 --help

import ConcurrentFutures
import LessonSupport

let info = LessonInfo(
    number: 3, title: "map",
    summary: "Maps downloads from a local HTTP server over a pool: results in input order\n"
        + "while tasks finish out of order, lazy iteration, zip, timeout, chunkSize\n"
        + "measured, and bufferSize on an endless input.",
    sections: [
        "Results come back in input order", "The picture: finished out of order, delivered in order",
        "Several inputs: zip them", "A timeout for the whole map", "chunkSize: fewer, bigger tasks",
        "bufferSize: a long, even endless, input",
    ])
let options = LessonOptions.parseOrExit(info)
let server = try LocalHTTPServer(configuration: .init(pageSize: 2_048, pageDelay: options.scaled(.milliseconds(100))))
let base = server.baseURL

/// The URL of page `number`, answered after `delay` (the server's `?delay=` parameter).
func pageURL(_ number: Int, delay: Duration) -> String {
    "\(base)/page/\(number)?delay=\(Int(delay.inMilliseconds))"
}

/// "page 2, page 3", or "none".
func pageList(_ numbers: [Int]) -> String {
    numbers.isEmpty ? "none" : numbers.sorted().map { "page \($0)" }.joined(separator: ", ")
}

lesson(info)
say("""
    `map` is the pooled twin of a `for` loop: give it a list of inputs and a function, and it \
    runs the function on every input, on the pool's workers, then gives the results back in the \
    same order as the inputs. This lesson looks at what that order costs and what it buys, and \
    at the knobs `map` has: `timeout`, `chunkSize` and `bufferSize`.

    The downloads come from the lesson's web server at \(base). A query such as `?delay=300` \
    makes it answer a page after 300 ms, so each input gets a delay of its own.
    """)

let delays = [300, 100, 500, 200, 700, 400].map { options.scaled(.milliseconds($0)) }
section("Results come back in input order")
say("""
    Six pages, six workers, so all six downloads start at once. The pages take different times: \
    \(delays.map(\.readable).joined(separator: ", ")). The loop prints each result the moment \
    `next()` returns it, and how long `next()` waited for it.
    """)
code(
    snippet: "in-order",
    python: """
        results = pool.map(fetch, urls)
        for index, page in enumerate(results):
            deliver(index, page)
        """)
note("`mainRow.record` notes how long each `next()` kept the loop waiting, for the picture in section 2.")
let recorder = TaskEventRecorder()
let mainRow = SpanRecorder()
let widths = [13, 7, 14, 14]
tableRow(["returned at", "page", "server delay", "next() waited"], widths: widths, numbers: false)
let inOrderClock = Stopwatch()
try withThreadPool(maxWorkers: 6, threadNamePrefix: "worker", observer: recorder.record) { pool in
    let urls = delays.enumerated().map { pageURL($0.offset, delay: $0.element) }
    try mapInOrder(urls, on: pool, mainRow: mainRow) { index, _ in
        let waited = mainRow.spans.last?.runTime ?? .zero
        tableRow([inOrderClock.elapsed.readable, "\(index)", delays[index].readable, waited.readable], widths: widths, numbers: false)
    }
}
// The waits worth drawing: those long enough to see (the others are microseconds).
let waitSpans = mainRow.spans.filter { $0.runTime > options.scaled(.milliseconds(30)) && Int($0.label).map { $0 < delays.count } == true }
let waitedFor = waitSpans.compactMap { Int($0.label) }
let cameAtOnce = (0..<delays.count).filter { !waitedFor.contains($0) }
say("""
    The loop sat in `next()` for pages \(waitedFor.map(String.init).joined(separator: ", ")). Pages \
    \(cameAtOnce.map(String.init).joined(separator: ", ")) came back at once, because they had \
    finished earlier and were waiting for their turn. `map` is lazy on the receiving side: \
    `next()` blocks only until the result it is about to return is ready, never for the whole \
    batch.
    """)

section("The picture: finished out of order, delivered in order")
Timeline.print([TimelineSection("map over 6 pages, 6 workers (main: blocked in next())", spans: TimelineSpan.spans(from: recorder.events) + waitSpans)])
let finishOrder = recorder.events.compactMap { event -> Int? in
    if case .finished = event.kind { return event.taskID }
    return nil
}
result("tasks finished in this order", finishOrder.map(String.init).joined(separator: " "))
result("map handed the results out as", (0..<delays.count).map(String.init).joined(separator: " "))
say("""
    The worker rows are the tasks, one per page (map submits them in input order, so task N is \
    page N). The `main` row is the loop, drawn where it was blocked in `next()`, labelled with \
    the page it waited for. Short pages finish first but are held back until every page before \
    them has been handed out. A slow first item delays everything behind it; lesson 04's \
    `asCompleted` hands out results in finishing order instead.
    """)

section("Several inputs: zip them")
say("""
    Python's `map(fn, a, b)` calls `fn(a[0], b[0])`, `fn(a[1], b[1])`, and so on. In Swift you \
    pass one sequence, so pair the inputs with `zip`; the closure takes them apart again. Like \
    Python, `zip` stops at the shorter input. (The server's `?size=` asks for a page of that \
    many bytes.)
    """)
code(
    snippet: "zip",
    python: """
        pages = [1, 2, 3, 4]
        sizes = [500, 3_000, 12_000]
        lengths = list(pool.map(
            fetch_sized, pages, sizes))
        """)
let lengths = try withThreadPool(maxWorkers: 3, threadNamePrefix: "worker") { pool in
    try bodyLengths(base: base, on: pool)
}
result("body lengths received", lengths.map(String.init).joined(separator: ", "))
result("results for 4 pages and 3 sizes", "\(lengths.count)")

let timeoutDelays = [100, 200, 800, 100, 100, 100].map { options.scaled(.milliseconds($0)) }
let mapTimeout = options.scaled(.milliseconds(350))
section("A timeout for the whole map")
say("""
    `timeout` is a deadline for the whole iteration, counted from the call to `map`. When the \
    next result is not ready by then, `next()` throws `TimeoutError`, and the tasks that have \
    not started are cancelled. Two workers, six pages taking \
    \(timeoutDelays.map(\.readable).joined(separator: ", ")), and `mapTimeout` is \(mapTimeout.readable):
    """)
code(
    snippet: "timeout",
    python: """
        results = pool.map(fetch, urls,
                           timeout=map_timeout)
        try:
            for page in results:
                deliver(page)
        except TimeoutError as error:
            return error
        """)
let timeoutRecorder = TaskEventRecorder()
var handedOut = 0
var deadlineInstant = ContinuousClock.now
try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker", observer: timeoutRecorder.record) { pool in
    let urls = timeoutDelays.enumerated().map { pageURL($0.offset, delay: $0.element) }
    let clock = Stopwatch()
    let timeout = try mapWithTimeout(urls, timeout: mapTimeout, on: pool) { page in
        result("page \(handedOut) at \(clock.elapsed.readable)", "\(page.body.count) bytes")
        handedOut += 1
    }
    if let timeout {
        deadlineInstant = .now
        result("at \(clock.elapsed.readable), next() threw", "TimeoutError")
        note("\(timeout)")
    }
}
let timeoutEvents = timeoutRecorder.events
let origin = timeoutEvents.first?.time ?? .now
let cancelledTasks = timeoutEvents.compactMap { event -> Int? in
    if case .finished(.cancelled) = event.kind { return event.taskID }
    return nil
}
let finishedInTime = timeoutEvents.compactMap { event -> Int? in
    guard case .finished(.returned) = event.kind, event.time <= deadlineInstant, event.taskID >= handedOut else { return nil }
    return event.taskID
}
let lateTasks = timeoutEvents.compactMap { event -> String? in
    guard case .finished(.returned) = event.kind, event.time > deadlineInstant else { return nil }
    return "page \(event.taskID) at \((event.time - origin).readable)"
}
result("finished before the deadline, never handed out", pageList(finishedInTime))
result("cancelled before they started", pageList(cancelledTasks))
result("finished after the timeout", lateTasks.isEmpty ? "none" : lateTasks.joined(separator: ", "))
let blocker = handedOut
if finishedInTime.isEmpty {
    say("""
        No page behind page \(blocker) finished before the deadline this time. Usually one does, \
        and the loop never gets it: `map` hands results out in input order, so a result that is \
        ready waits behind every result before it, and when the deadline comes, it is lost with \
        them.
        """)
} else {
    say("""
        Look at \(pageList(finishedInTime)): finished before the deadline, and yet the loop never \
        got \(finishedInTime.count == 1 ? "it" : "them"). `map` hands results out in input order, \
        and page \(blocker), ahead of \(finishedInTime.count == 1 ? "it" : "them"), was still \
        downloading: a result that is ready waits behind every result before it, and when the \
        deadline comes, it is lost with them. (`asCompleted`, in lesson 04, would have handed it \
        out.)
        """)
}
say("""
    The timeout stopped the waiting, not the work: a download that was already running went on \
    to the end (the pool's shutdown waited for it). Only the tasks still in the queue were \
    cancelled. Lesson 08 is about timeouts in general.
    """)

let tinyCount = options.fast ? 4_000 : 20_000
section("chunkSize: fewer, bigger tasks")
say("""
    Every task costs something besides its own work: a future, a trip through the queue, a \
    wake-up of a worker. For a function that takes microseconds, that overhead is most of the \
    time. `chunkSize` makes each task run several calls in a row. Here: \(grouped(tinyCount)) tiny \
    calculations (`checksum`, a few rounds of integer mixing) on two workers, first one per \
    task, then 100 per task.
    """)
code(
    snippet: "chunks",
    python: """
        values = list(pool.map(checksum, range(count),
                               chunksize=chunk_size))
        """)
let chunkWidths = [12, 18]
tableRow(["chunkSize", "tasks submitted", "wall time"], widths: chunkWidths, numbers: false)
var chunkTimes: [Int: Duration] = [:]
var firstChecksums: [Int] = []
for chunkSize in [1, 100] {
    let pool = try ThreadPoolExecutor(maxWorkers: 2, threadNamePrefix: "worker")
    let (values, elapsed) = try Stopwatch.measure { try checksums(count: tinyCount, chunkSize: chunkSize, on: pool) }
    pool.shutdown()
    chunkTimes[chunkSize] = elapsed
    if firstChecksums.isEmpty { firstChecksums = values } else if firstChecksums != values { show("  (the results differ!)") }
    tableRow(["\(chunkSize)", "\(pool.statistics.submitted)", elapsed.readable], widths: chunkWidths, numbers: false)
}
result("speed-up from chunking", Stopwatch.speedUp(from: chunkTimes[1]!, to: chunkTimes[100]!))
say("""
    Same \(grouped(tinyCount)) results in the same order, a hundred times fewer tasks (the pool's own \
    `statistics.submitted` counted them). The price: the calls of a chunk run one after another \
    on one worker, and its results arrive together when the whole chunk is done. For work that \
    waits, like downloads, keep the default of 1.
    """)
note("Python's ThreadPoolExecutor ignores chunksize (only process pools use it); this library honours it everywhere.")

section("bufferSize: a long, even endless, input")
say("""
    `map` normally submits a task for every input as soon as it is called. For a list of ten \
    million items, or an input that never ends, that would swamp the queue, or never return. \
    With `bufferSize: N` it reads only N items ahead of the loop, and submits one more each time \
    the loop takes a result. Here the input is every whole number, `0...`, and the loop stops \
    after eight pages.
    """)
code(
    snippet: "buffer",
    python: """
        results = pool.map(fetch_page, itertools.count(),
                           buffersize=4)  # Python 3.14
        for _ in range(8):
            next(results)
        """)
let bufferPool = try ThreadPoolExecutor(maxWorkers: 2, threadNamePrefix: "worker")
try mapEndlessInput(base: base, on: bufferPool) { moment, read in
    result("\(moment): numbers read, tasks submitted", "\(read), \(bufferPool.statistics.submitted)")
}
note("(8 handed out, 4 more read ahead: each next() tops the window up before it waits.)")
bufferPool.shutdown()
let bufferStatistics = bufferPool.statistics
result("at the end: completed, cancelled", "\(bufferStatistics.completed), \(bufferStatistics.cancelled)")
say("""
    The loop read its input a few items ahead and no further, so an endless input was fine. When \
    the results were dropped, the tasks still waiting in the queue were cancelled; the ones \
    already running finished. Without `bufferSize`, `map(0...)` would never return.
    """)

server.stop()

takeaways([
    "`pool.map(items) { ... }` runs one task per item and returns the results in input order, like Python's `executor.map`.",
    "Tasks finish in any order; a result that is ready early waits until every result before it has been handed out.",
    "Iteration is lazy: each `next()` blocks only until the next result in order is ready.",
    "Several inputs: `map(zip(a, b)) { a, b in ... }`, stopping at the shorter input as Python does.",
    "`timeout` is one deadline for the whole iteration; on expiry queued tasks are cancelled, running ones finish, and finished ones behind a slow item are never handed out.",
    "`chunkSize` batches tiny calls into fewer tasks; `bufferSize` bounds how far `map` reads ahead of a long input.",
])
exercise(
    id: "03a",
    description: "Render pages concurrently and deliver them in page order, each as soon as it can be; an "
        + "error comes out unchanged.")
exercise(
    id: "03b",
    description: "Multiply thousands of price/quantity pairs on a pool in chunks, using at most `maxTasks` "
        + "tasks.")
nextStep(command: "swift run lesson04")
