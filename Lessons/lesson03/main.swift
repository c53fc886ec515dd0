// Lesson 03 — map
//
// `pool.map(items) { ... }` submits one task per item and hands the results back in input order,
// lazily: each `next()` waits only for the item it returns. The lesson shows that order, the
// waits, several inputs with `zip`, a timeout, what `chunkSize` saves and what `bufferSize` is for.
//
//   swift run lesson03            normal speed (about 3 s)
//   swift run lesson03 --fast     delays divided by 10, fewer tiny tasks
//   swift run lesson03 --help

import ConcurrentFutures
import LessonSupport

let info = LessonInfo(
    number: 3, title: "map",
    summary: "Maps downloads from a local HTTP server over a pool: results in input order\n"
        + "while tasks finish out of order, lazy iteration, zip, timeout, chunkSize\n"
        + "measured, and bufferSize on an endless input.")
let options = LessonOptions.parseOrExit(info)
let server = try LocalHTTPServer(configuration: .init(pageSize: 2_048, pageDelay: options.scaled(.milliseconds(100))))
let base = server.baseURL

/// Downloads one page; a reply that is not 2xx becomes an error. Blocking.
func fetch(_ url: String) throws -> HTTPResponse {
    try HTTPClient.get(url, timeout: .seconds(10)).ensureSuccess()
}

/// The URL of page `number`, answered after `delay` (the server's `?delay=` parameter).
func pageURL(_ number: Int, delay: Duration) -> String {
    "\(base)/page/\(number)?delay=\(Int(delay.inMilliseconds))"
}

/// `text` padded with spaces to `width` columns.
func padded(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
}

/// 20000 as "20,000".
func grouped(_ number: Int) -> String {
    let digits = Array(String(number))
    var text = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { text += "," }
        text.append(digit)
    }
    return text
}

/// One table row: the cells padded to their widths (the last one is not padded).
func row(_ cells: [String], widths: [Int]) -> String {
    "  " + zip(cells, widths).map { padded($0, $1) }.joined() + (cells.count > widths.count ? cells.last! : "")
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
    `map` is the pooled twin of a `for` loop: give it a list of inputs and a function, and it \
    runs the function on every input, on the pool's workers, then gives the results back in the \
    same order as the inputs. This lesson looks at what that order costs and what it buys, and \
    at the knobs `map` has: `timeout`, `chunkSize` and `bufferSize`.

    The downloads come from the lesson's web server at \(base). A query such as `?delay=300` \
    makes it answer a page after 300 ms, so each input gets a delay of its own.
    """)

// MARK: - 1

let delays = [300, 100, 500, 200, 700, 400].map { options.scaled(.milliseconds($0)) }
section("1. Results come back in input order")
say("""
    Six pages, six workers, so all six downloads start at once. The pages take different times: \
    \(delays.map(\.readable).joined(separator: ", ")). The loop prints each result the moment \
    `next()` returns it, and how long `next()` waited for it.
    """)
code(
    swift: """
        let results = try pool.map(urls) { url in try fetch(url) }
        while let page = try results.next() {
            print(page)
        }
        """,
    python: """
        results = pool.map(fetch, urls)
        for page in results:
            print(page)
        """)
let recorder = TaskEventRecorder()
var waitSpans: [TimelineSpan] = []
let widths = [13, 7, 14]
print(row(["returned at", "page", "server delay", "next() waited"], widths: widths))
try withThreadPool(maxWorkers: 6, threadNamePrefix: "worker", observer: recorder.record) { pool in
    let urls = delays.enumerated().map { pageURL($0.offset, delay: $0.element) }
    let clock = Stopwatch()
    let results = try pool.map(urls) { url in try fetch(url) }
    var index = 0
    while true {
        let waitStart = ContinuousClock.now
        guard let page = try results.next() else { break }
        let waitEnd = ContinuousClock.now
        print(row([clock.elapsed.readable, "\(index)", delays[index].readable, (waitEnd - waitStart).readable], widths: widths))
        if waitEnd - waitStart > options.scaled(.milliseconds(30)) {
            waitSpans.append(TimelineSpan(worker: "main", label: "\(index)", submitted: waitStart, started: waitStart, finished: waitEnd))
        }
        _ = page
        index += 1
    }
}
let waitedFor = waitSpans.map(\.label)
let cameAtOnce = (0..<delays.count).map(String.init).filter { !waitedFor.contains($0) }
say("""
    The loop sat in `next()` for pages \(waitedFor.joined(separator: ", ")). Pages \
    \(cameAtOnce.joined(separator: ", ")) came back at once, because they had finished earlier \
    and were waiting for their turn. `map` is lazy on the receiving side: `next()` blocks only \
    until the result it is about to return is ready, never for the whole batch.
    """)

// MARK: - 2

section("2. The picture: finished out of order, delivered in order")
let spans = TimelineSpan.spans(from: recorder.events)
showTimeline([TimelineSection("map over 6 pages, 6 workers (main: blocked in next())", spans: spans + waitSpans)])
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

// MARK: - 3

section("3. Several inputs: zip them")
say("""
    Python's `map(fn, a, b)` calls `fn(a[0], b[0])`, `fn(a[1], b[1])`, and so on. In Swift you \
    pass one sequence, so pair the inputs with `zip`; the closure takes them apart again. Like \
    Python, `zip` stops at the shorter input.
    """)
code(
    swift: """
        let pages = [1, 2, 3, 4]
        let sizes = [500, 3_000, 12_000]
        let lengths = try Array(pool.map(zip(pages, sizes)) {
            page, size in try fetch(page, size).body.count
        })
        """,
    python: """
        pages = [1, 2, 3, 4]
        sizes = [500, 3_000, 12_000]
        lengths = list(pool.map(
            fetch_sized, pages, sizes))
        """)
let lengths = try withThreadPool(maxWorkers: 3, threadNamePrefix: "worker") { pool in
    let pages = [1, 2, 3, 4]
    let sizes = [500, 3_000, 12_000]
    return try Array(pool.map(zip(pages, sizes)) { page, size in
        try fetch("\(base)/page/\(page)?size=\(size)").body.count
    })
}
result("body lengths received", lengths.map(String.init).joined(separator: ", "))
result("results for 4 pages and 3 sizes", "\(lengths.count)")

// MARK: - 4

let timeoutDelays = [100, 200, 800, 100, 100, 100].map { options.scaled(.milliseconds($0)) }
let mapTimeout = options.scaled(.milliseconds(350))
section("4. A timeout for the whole map")
say("""
    `timeout` is a deadline for the whole iteration, counted from the call to `map`. When the \
    next result is not ready by then, `next()` throws `TimeoutError`, and the tasks that have \
    not started are cancelled. Two workers, six pages taking \
    \(timeoutDelays.map(\.readable).joined(separator: ", ")), and a timeout of \(mapTimeout.readable):
    """)
code(
    swift: """
        let results = try pool.map(urls, timeout: .milliseconds(\(Int(mapTimeout.inMilliseconds)))) {
            url in try fetch(url)
        }
        do {
            while let page = try results.next() { ... }
        } catch let error as TimeoutError {
            print(error)
        }
        """,
    python: """
        results = pool.map(fetch, urls,
                           timeout=\(mapTimeout.inSeconds))
        try:
            for page in results: ...
        except TimeoutError as error:
            print(error)
        """)
let timeoutRecorder = TaskEventRecorder()
var deadlineInstant = ContinuousClock.now
try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker", observer: timeoutRecorder.record) { pool in
    let urls = timeoutDelays.enumerated().map { pageURL($0.offset, delay: $0.element) }
    let clock = Stopwatch()
    let results = try pool.map(urls, timeout: mapTimeout) { url in try fetch(url) }
    var index = 0
    do {
        while let page = try results.next() {
            result("page \(index) at \(clock.elapsed.readable)", "\(page.body.count) bytes")
            index += 1
        }
    } catch let error as TimeoutError {
        deadlineInstant = .now
        result("at \(clock.elapsed.readable), next() threw", "TimeoutError")
        note("\(error)")
    }
}
let timeoutEvents = timeoutRecorder.events
let origin = timeoutEvents.first?.time ?? .now
let cancelledTasks = timeoutEvents.compactMap { event -> Int? in
    if case .finished(.cancelled) = event.kind { return event.taskID }
    return nil
}
let lateTasks = timeoutEvents.compactMap { event -> String? in
    guard case .finished(.returned) = event.kind, event.time > deadlineInstant else { return nil }
    return "page \(event.taskID) at \((event.time - origin).readable)"
}
result("cancelled before they started", cancelledTasks.isEmpty ? "none" : cancelledTasks.map { "page \($0)" }.joined(separator: ", "))
result("finished after the timeout", lateTasks.isEmpty ? "none" : lateTasks.joined(separator: ", "))
say("""
    The timeout stopped the waiting, not the work: a download that was already running went on \
    to the end (the pool's shutdown waited for it). Only the tasks still in the queue were \
    cancelled. Lesson 08 is about timeouts in general.
    """)

// MARK: - 5

let tinyCount = options.fast ? 4_000 : 20_000
section("5. chunkSize: fewer, bigger tasks")
say("""
    Every task costs something besides its own work: a future, a trip through the queue, a \
    wake-up of a worker. For a function that takes microseconds, that overhead is most of the \
    time. `chunkSize` makes each task run several calls in a row. Here: \(grouped(tinyCount)) tiny \
    calculations on two workers, first one per task, then 100 per task.
    """)
code(
    swift: """
        let r = try pool.map(0..<\(tinyCount), chunkSize: 100) {
            n in checksum(n)
        }
        """,
    python: """
        r = pool.map(checksum, range(\(tinyCount)),
                     chunksize=100)
        """)

/// A tiny piece of real CPU work: a few rounds of integer mixing.
func checksum(_ number: Int) -> Int {
    var value = UInt64(truncatingIfNeeded: number) &+ 0x9E37_79B9_7F4A_7C15
    for _ in 0..<8 { value = (value ^ (value >> 31)) &* 0xBF58_476D_1CE4_E5B9 }
    return Int(truncatingIfNeeded: value >> 1)
}

let chunkWidths = [12, 18]
print(row(["chunkSize", "tasks submitted", "wall time"], widths: chunkWidths))
var chunkTimes: [Int: Duration] = [:]
var firstChecksums: [Int] = []
for chunkSize in [1, 100] {
    let pool = try ThreadPoolExecutor(maxWorkers: 2, threadNamePrefix: "worker")
    let clock = Stopwatch()
    let values = try Array(pool.map(0..<tinyCount, chunkSize: chunkSize) { checksum($0) })
    let elapsed = clock.elapsed
    pool.shutdown()
    chunkTimes[chunkSize] = elapsed
    if firstChecksums.isEmpty { firstChecksums = values } else if firstChecksums != values { print("  (the results differ!)") }
    print(row(["\(chunkSize)", "\(pool.statistics.submitted)", elapsed.readable], widths: chunkWidths))
}
result("speed-up from chunking", Stopwatch.speedUp(from: chunkTimes[1]!, to: chunkTimes[100]!))
say("""
    Same \(grouped(tinyCount)) results in the same order, a hundred times fewer tasks (the pool's own \
    `statistics.submitted` counted them). The price: the calls of a chunk run one after another \
    on one worker, and its results arrive together when the whole chunk is done. For work that \
    waits, like downloads, keep the default of 1.
    """)
note("Python's ThreadPoolExecutor ignores chunksize (only process pools use it); this library honours it everywhere.")

// MARK: - 6

section("6. bufferSize: a long, even endless, input")
say("""
    `map` normally submits a task for every input as soon as it is called. For a list of ten \
    million items, or an input that never ends, that would swamp the queue, or never return. \
    With `bufferSize: N` it reads only N items ahead of the loop, and submits one more each time \
    the loop takes a result. Here the input is every whole number, `0...`, and the loop stops \
    after eight pages.
    """)
code(
    swift: """
        let results = try pool.map(0..., bufferSize: 4) {
            n in try fetch(page: n)
        }
        for _ in 0..<8 { _ = try results.next() }
        """,
    python: """
        results = pool.map(fetch_page, itertools.count(),
                           buffersize=4)  # Python 3.14
        for _ in range(8):
            next(results)
        """)
let pulled = LockedValue(0)
let bufferPool = try ThreadPoolExecutor(maxWorkers: 2, threadNamePrefix: "worker")
do {
    let numbers = (0...).lazy.map { number -> Int in
        pulled.withLock { $0 += 1 }
        return number
    }
    let results = try bufferPool.map(numbers, bufferSize: 4) { number in
        try fetch("\(base)/page/\(number)").body.count
    }
    result("when map returned: items read, tasks submitted", "\(pulled.withLock { $0 }), \(bufferPool.statistics.submitted)")
    for _ in 0..<8 { _ = try results.next() }
    result("after 8 results: items read, tasks submitted", "\(pulled.withLock { $0 }), \(bufferPool.statistics.submitted)")
    note("(8 handed out, 4 more read ahead: each next() tops the window up before it waits.)")
}  // `results` is dropped here: what is still queued gets cancelled
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
    "`timeout` is one deadline for the whole iteration; on expiry queued tasks are cancelled, running ones finish.",
    "`chunkSize` batches tiny calls into fewer tasks; `bufferSize` bounds how far `map` reads ahead of a long input.",
])
exercise(
    command: "swift run workbook check 03a",
    description: "Parallel transform. Transform a list on a pool and return the results in the "
        + "original order, with errors coming out unchanged.")
nextStep(command: "swift run lesson04")
