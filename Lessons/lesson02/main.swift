// Lesson 02 — submit and Future
//
// `submit` hands a task to the pool and returns a `Future` at once: a receipt for a result that
// does not exist yet. The lesson times `submit`, reads the receipt while the download runs,
// shows that `result()` waits only when it has to, and sends an error back through a future.
//
//   swift run lesson02            normal speed (about 3 s)
//   swift run lesson02 --fast     delays divided by 10
//   swift run lesson02 --help

import ConcurrentFutures
import SystemPlatform
import LessonSupport

let info = LessonInfo(
    number: 2, title: "submit and Future",
    summary: "Submits downloads from a local HTTP server to a pool and follows each Future\n"
        + "from receipt to result: its states, when result() waits, repeated reads, and\n"
        + "an error thrown by the task.")
let options = LessonOptions.parseOrExit(info)
let pageDelay = options.scaled(.milliseconds(500))
let pollInterval = options.scaled(.milliseconds(125))

/// Downloads one page, and turns a reply that is not 2xx into an error. Blocking.
/// (A global function, not a closure of the top-level code: worker threads may call it.)
func fetch(_ url: String) throws -> HTTPResponse {
    try HTTPClient.get(url, timeout: .seconds(10)).ensureSuccess()
}

/// The state of a future in one word, read through its public properties.
func stateName<Value>(_ future: Future<Value>) -> String {
    if future.isCancelled { return "cancelled" }
    if future.isDone { return "done" }
    return future.isRunning ? "running" : "pending"
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

/// Lets the calling thread sleep (here: the main thread, between two looks at the futures).
func pause(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    var remaining = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var request = remaining
    while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
}

/// `text` painted, then padded with spaces to `width` columns (the padding stays outside the
/// colour codes, which take no room on screen, so columns line up).
func cell(_ text: String, _ width: Int, _ styles: Terminal.Style...) -> String {
    Terminal.paint(text, styles, enabled: Terminal.isColorEnabled) + String(repeating: " ", count: max(0, width - text.count))
}

/// Draws a worker timeline. Like `Timeline.print`, but 8 columns narrower than the terminal:
/// the labels under the time axis may reach past the right end of the rows.
func showTimeline(_ sections: [TimelineSection]) {
    for line in Timeline.render(sections: sections, width: Terminal.width - 8, color: Terminal.isColorEnabled) {
        print(line)
    }
    print()
}

let server = try LocalHTTPServer(configuration: .init(pageSize: 4_096, pageDelay: pageDelay))

lesson(info)
say("""
    Lesson 01 used `map`, which hides the machinery. This lesson opens it up: `submit` gives one \
    task to the pool and hands back a `Future`. Everything else in the library (map, asCompleted, \
    wait, callbacks) is built from these two pieces.

    The lesson's own web server is listening at \(server.baseURL). It answers every request for \
    `/page/N` after \(pageDelay.readable): real HTTP over real sockets, slow on purpose.
    """)

// MARK: - 1

section("1. submit returns at once")
say("""
    `submit` puts the task in the pool's queue and returns immediately. It does not wait for the \
    download; it does not even wait for a worker to pick the task up.
    """)
code(
    swift: """
        let future = try pool.submit { try fetch(url) }
        print(future)               // the receipt
        let page = try future.result()
        """,
    python: """
        future = pool.submit(fetch, url)
        print(future)
        page = future.result()
        """)
try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker") { pool in
    let url = server.url("/page/1")
    let submitClock = Stopwatch()
    let future = try pool.submit { try fetch(url) }
    let submitTime = submitClock.elapsed
    let printedRightAfter = shortDescription(future)
    result("submit returned after", submitTime.readable)
    print("  " + Terminal.paint("→ ", .green) + "print(future) right after submit:")
    print("    " + Terminal.paint(printedRightAfter, .bold))
    let resultClock = Stopwatch()
    let page = try future.result()
    result("result() waited", resultClock.elapsed.readable)
    result("the page", "\(page.body.count) bytes, status \(page.status)")
}
say("""
    `submit` took microseconds; the waiting happened in `result()`, which blocked for about the \
    server's \(pageDelay.readable). Printed, a future shows its state: `pending` until a worker \
    takes the task, `running` while the worker runs it, `finished` after. (Run the lesson again: \
    sometimes a worker is quick enough to show `running` already.)
    """)

// MARK: - 2

section("2. The future is a receipt you can read")
say("""
    A receipt does not make you wait. `isRunning` and `isDone` answer at once, whatever the \
    task is doing. Below, a pool with a single worker gets two downloads, and the main thread \
    looks at both futures every \(pollInterval.readable) until both are done.
    """)
code(
    swift: """
        let first = try pool.submit { try fetch(page1) }
        let second = try pool.submit { try fetch(page2) }
        while !(first.isDone && second.isDone) {
            print(state(first), state(second))
            sleep(...)
        }
        """,
    python: """
        first = pool.submit(fetch, page1)
        second = pool.submit(fetch, page2)
        while not (first.done() and second.done()):
            print(state(first), state(second))
            time.sleep(...)
        """)
try withThreadPool(maxWorkers: 1, threadNamePrefix: "worker") { pool in
    let (url1, url2) = (server.url("/page/1"), server.url("/page/2"))
    let clock = Stopwatch()
    let first = try pool.submit { try fetch(url1) }
    let second = try pool.submit { try fetch(url2) }
    print("  " + cell("after", 11, .dim) + cell("page 1", 10, .dim) + Terminal.paint("page 2", .dim))
    func printRow() {
        let styles: [String: Terminal.Style] = ["pending": .dim, "running": .yellow, "done": .green]
        let (state1, state2) = (stateName(first), stateName(second))
        print("  " + cell(clock.elapsed.readable, 11) + cell(state1, 10, styles[state1] ?? .bold)
            + Terminal.paint(state2, styles[state2] ?? .bold))
    }
    while !(first.isDone && second.isDone) {
        printRow()
        pause(pollInterval)
    }
    printRow()
    _ = try (first.result(), second.result())
}
say("""
    Page 2 stayed `pending` while page 1 ran: its task sat in the queue, accepted but not \
    started, because the only worker was busy. Then page 2 was `running` and page 1 `done`. \
    Reading the state never blocked the main thread; it kept printing.
    """)
note("Python spells these as methods: future.running(), future.done(), future.cancelled().")

// MARK: - 3

section("3. result() waits only if the task is not done")
say("""
    `result()` blocks only while the task is unfinished. So the main thread may do something \
    useful between `submit` and `result()`. Here it downloads a slower page itself while a \
    worker fetches page 3; by the time it asks, page 3 is already there.
    """)
code(
    swift: """
        let future = try pool.submit { try fetch(page3) }
        let mine = try fetch(slowPage)   // main thread's own work
        let page = try future.result()   // already done: no wait
        let again = try future.result()  // same value again
        """,
    python: """
        future = pool.submit(fetch, page3)
        mine = fetch(slow_page)
        page = future.result()
        again = future.result()
        """)
let overlapRecorder = TaskEventRecorder()
let slowDelayMilliseconds = Int(pageDelay.inMilliseconds * 1.5)
var mainSpans: [TimelineSpan] = []
try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker", observer: overlapRecorder.record) { pool in
    let url = server.url("/page/3")
    let sectionStart = ContinuousClock.now
    let future = try pool.submit(label: "3") { try fetch(url) }
    let ownStart = ContinuousClock.now
    let mine = try fetch(server.url("/page/9?delay=\(slowDelayMilliseconds)"))
    let ownEnd = ContinuousClock.now
    mainSpans.append(TimelineSpan(worker: "main", label: "own", submitted: ownStart, started: ownStart, finished: ownEnd))
    let firstClock = Stopwatch()
    let page = try future.result()
    let firstWait = firstClock.elapsed
    let secondClock = Stopwatch()
    let again = try future.result()
    let secondWait = secondClock.elapsed
    result("main thread's own download took", (ownEnd - ownStart).readable)
    result("then result() waited", firstWait.readable)
    result("result() a second time waited", secondWait.readable)
    result("both calls gave the same page", page == again ? "yes (\(page.body.count) bytes)" : "NO")
    result("everything together took", (ContinuousClock.now - sectionStart).readable)
    _ = mine
}
showTimeline([TimelineSection("main thread and worker side by side", spans: TimelineSpan.spans(from: overlapRecorder.events) + mainSpans)])
say("""
    The two downloads overlapped: the `main` row and the worker's row run at the same time. A \
    finished future keeps its value, so `result()` can be called as often as you like; after \
    the first time it is just a read.
    """)

// MARK: - 4

section("4. An error comes back through the future")
say("""
    If the task throws, the pool does not crash and nothing is printed. The error is stored in \
    the future, which is now done, and `result()` throws it, on the thread that asks. The \
    server below answers 503 (service unavailable), so `ensureSuccess()` throws inside the task.
    """)
code(
    swift: """
        let future = try pool.submit { try fetch(brokenPage) }
        do {
            let page = try future.result()
        } catch let error as HTTPClientError {
            print("failed:", error)
        }
        """,
    python: """
        future = pool.submit(fetch, broken_page)
        try:
            page = future.result()
        except HTTPError as error:
            print("failed:", error)
        """)
try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker") { pool in
    let url = server.url("/page/4?status=503")
    let future = try pool.submit { try fetch(url) }
    for attempt in 1...2 {
        do {
            let page = try future.result()
            result("attempt \(attempt): result() returned", "\(page.body.count) bytes (unexpected!)")
        } catch let error as HTTPClientError {
            result("attempt \(attempt): result() threw HTTPClientError", "\(error)")
        }
    }
    result("isDone, isRunning", "\(future.isDone), \(future.isRunning)")
    print("  " + Terminal.paint("→ ", .green) + "print(future):")
    print("    " + Terminal.paint(shortDescription(future), .bold))
}
say("""
    The error is thrown to whoever calls `result()`, every time they call it, with its own type \
    intact: a `catch` can match it exactly. A failed task is still done: `isDone` is true. \
    Lesson 07 is all about errors.
    """)

server.stop()

takeaways([
    "`pool.submit { ... }` returns a `Future` at once; the task runs later, on a worker thread.",
    "A future is a receipt: `isDone` and `isRunning` can be read any time and never block.",
    "Pending means queued, not started; running means a worker has it; done means finished, failed or cancelled.",
    "`result()` blocks only until the task is done; afterwards it returns the same value at once, as often as asked.",
    "An error thrown by the task is stored in the future and rethrown by `result()`, type and all.",
    "Python's `future.result()`, `done()` and `running()` are `result()`, `isDone` and `isRunning` here.",
])
exercise(
    command: "swift run workbook check 02a",
    description: "Two pages at once. Write `fetchBoth`, which fetches two pages concurrently on a pool "
        + "and joins them; an error from either fetch must come out unchanged.")
exercise(
    command: "swift run workbook check 02b",
    description: "Receipts first, results later. Without waiting, count how many of a set of futures are "
        + "waiting, running, finished or cancelled.")
nextStep(command: "swift run lesson03")
