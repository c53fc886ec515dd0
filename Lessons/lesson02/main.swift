// Lesson 02 — submit and Future
//
// `submit` hands a task to the pool and returns a `Future` at once: a receipt for a result that
// does not exist yet. The lesson times `submit`, reads the receipt while the download runs,
// shows that `result()` waits only when it has to, and sends an error back through a future.
// The code it shows is in Examples.swift.
//
//   swift run lesson02            normal speed (about 3 s)
//   swift run lesson02 --fast     delays divided by 10
//   swift run lesson02 --step     pause after each section (presenter mode)
//   swift run lesson02 --help

import ConcurrentFutures
import LessonSupport

let info = LessonInfo(
    number: 2, title: "submit and Future",
    summary: "Submits downloads from a local HTTP server to a pool and follows each Future\n"
        + "from receipt to result: its states, when result() waits, repeated reads, and\n"
        + "an error thrown by the task.",
    sections: [
        "submit returns at once", "The future is a receipt you can read",
        "result() waits only if the task is not done", "An error comes back through the future",
    ])
let options = LessonOptions.parseOrExit(info)
let pageDelay = options.scaled(.milliseconds(500))
let pollInterval = options.scaled(.milliseconds(125))

/// `text` painted, then padded with spaces to `width` columns (the padding stays outside the
/// colour codes, which take no room on screen, so columns line up).
func cell(_ text: String, _ width: Int, _ styles: Terminal.Style...) -> String {
    Terminal.paint(text, styles, enabled: Terminal.isColorEnabled) + String(repeating: " ", count: max(0, width - text.count))
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

section("submit returns at once")
say("""
    `submit` puts the task in the pool's queue and returns immediately. It does not wait for the \
    download; it does not even wait for a worker to pick the task up.
    """)
code(
    snippet: "submit",
    python: """
        future = pool.submit(fetch, url)
        print(future)
        page = future.result()
        """)
try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker") { pool in
    let clock = Stopwatch()
    var submitTime = Duration.zero
    var printed = ""
    let page = try submitAndWait(server.url("/page/1"), on: pool) { receipt in
        submitTime = clock.elapsed
        printed = receipt
    }
    result("submit returned after", submitTime.readable)
    result("print(future) right after submit", printed)
    result("result() waited", (clock.elapsed - submitTime).readable)
    result("the page", "\(page.body.count) bytes, status \(page.status)")
}
say("""
    `submit` took microseconds; the waiting happened in `result()`, which blocked for about the \
    server's \(pageDelay.readable). Printed, a future shows its state: `pending` until a worker \
    takes the task, `running` while the worker runs it, `finished` after. (Run the lesson again: \
    sometimes a worker is quick enough to show `running` already.)
    """)

section("The future is a receipt you can read")
say("""
    A receipt does not make you wait. `isRunning` and `isDone` answer at once, whatever the \
    task is doing (`stateName` reads them and says `pending`, `running`, `finished` or \
    `cancelled`). Below, a pool with a single worker gets two downloads, and the main thread \
    looks at both futures every \(pollInterval.readable) until both are done.
    """)
code(
    snippet: "poll",
    python: """
        first = pool.submit(fetch, page1)
        second = pool.submit(fetch, page2)
        while not (first.done() and second.done()):
            print(first._state, second._state)
            time.sleep(poll_interval)
        print(first._state, second._state)
        """)
try withThreadPool(maxWorkers: 1, threadNamePrefix: "worker") { pool in
    let clock = Stopwatch()
    let styles: [String: Terminal.Style] = ["pending": .dim, "running": .yellow, "finished": .green]
    show("  " + cell("after", 11, .dim) + cell("page 1", 10, .dim) + Terminal.paint("page 2", [.dim], enabled: Terminal.isColorEnabled))
    try watchTwoDownloads(server.url("/page/1"), server.url("/page/2"), on: pool, every: pollInterval) { state1, state2 in
        show("  " + cell(clock.elapsed.readable, 11) + cell(state1, 10, styles[state1] ?? .bold)
            + Terminal.paint(state2, [styles[state2] ?? .bold], enabled: Terminal.isColorEnabled))
    }
}
say("""
    Page 2 stayed `pending` while page 1 ran: its task sat in the queue, accepted but not \
    started, because the only worker was busy. Then page 2 was `running` and page 1 `finished`. \
    Reading the state never blocked the main thread; it kept printing.
    """)
note("Python spells these as methods: future.running(), future.done(), future.cancelled(); its printed state is the private future._state.")

section("result() waits only if the task is not done")
let slowDelay = pageDelay * 3 / 2
say("""
    `result()` blocks only while the task is unfinished. So the main thread may do something \
    useful between `submit` and `result()`. Here it downloads a slower page itself \
    (\(slowDelay.readable)) while a worker fetches page 3 (\(pageDelay.readable)); by the time it \
    asks, page 3 is already there.
    """)
code(
    snippet: "overlap",
    python: """
        future = pool.submit(fetch, page3)
        mine = fetch(slow_page)
        page = future.result()
        again = future.result()
        """)
let overlapRecorder = TaskEventRecorder()
let mainRow = SpanRecorder()
let sectionClock = Stopwatch()
let overlap = try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker", observer: overlapRecorder.record) { pool in
    try overlapOwnWork(
        page3: server.url("/page/3"), slowPage: server.url("/page/9?delay=\(Int(slowDelay.inMilliseconds))"),
        on: pool, mainRow: mainRow)
}
result("main thread's own download took", overlap.ownDownload.readable)
result("then result() waited", overlap.firstWait.readable)
result("result() a second time waited", overlap.secondWait.readable)
result("both calls gave the same page", overlap.sameValue ? "yes (\(overlap.bytes) bytes)" : "NO")
result("everything together took", sectionClock.elapsed.readable)
Timeline.print([TimelineSection("main thread and worker side by side", spans: TimelineSpan.spans(from: overlapRecorder.events) + mainRow.spans)])
say("""
    The two downloads overlapped: the `main` row and the worker's row run at the same time. A \
    finished future keeps its value, so `result()` can be called as often as you like; after \
    the first time it is just a read.
    """)

section("An error comes back through the future")
say("""
    If the task throws, the pool does not crash and nothing is printed. The error is stored in \
    the future, which is now done, and `result()` throws it, on the thread that asks. The \
    server below answers 503 (service unavailable), so `ensureSuccess()` throws inside `fetch`.
    """)
code(
    snippet: "error",
    python: """
        future = pool.submit(fetch, broken_page)
        for attempt in (1, 2):
            try:
                page = future.result()
                print(attempt, "returned", len(page))
            except HTTPError as error:
                print(attempt, "raised HTTPError:", error)
        """)
try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker") { pool in
    let future = try askTwice(server.url("/page/4?status=503"), on: pool) { attempt, outcome in
        result("attempt \(attempt): result()", outcome)
    }
    result("isDone, isRunning", "\(future.isDone), \(future.isRunning)")
    result("print(future)", shortDescription(future))
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
    id: "02a",
    description: "Write `fetchBoth`, which fetches two pages concurrently on a pool and joins them; an error from "
        + "either fetch must come out unchanged.")
exercise(
    id: "02b",
    description: "Hand out a future for every order at once, read their states without waiting (how many are "
        + "waiting, running, finished or cancelled), then redeem them for the total.")
nextStep(command: "swift run lesson03")
