// Lesson 09 — Cancellation
//
// What `cancel()` can stop and what it cannot: a task still in the queue can be called off, a
// running one cannot. Then `shutdown(cancelFutures:)`, cancelled futures in `wait` and
// `asCompleted`, and the one way to stop work that is already running: ask it to stop.
//
//   swift run lesson09            normal speed (about 3 s)
//   swift run lesson09 --fast     delays divided by 10
//   swift run lesson09 --help

import ConcurrentFutures
import SystemPlatform
import LessonSupport

let info = LessonInfo(
    number: 9, title: "Cancellation",
    summary: "Cancels queued and running downloads from a local HTTP server, shuts a pool down with\n"
        + "cancelFutures, and stops running work with a shared stop flag, drawn on a timeline.")
let options = LessonOptions.parseOrExit(info)
let pageDelay = options.scaled(.milliseconds(400))
let partDelay = options.scaled(.milliseconds(50))

// MARK: - The code the lesson runs

/// Downloads one page: a blocking call, so a worker thread waits on the socket meanwhile.
func fetch(_ url: String) throws -> Int {
    try HTTPClient.get(url, timeout: .seconds(10)).ensureSuccess().body.count
}

/// A flag that any thread may raise and any thread may check: Python's `threading.Event`.
final class StopFlag: Sendable {
    private let raised = LockedValue(false)
    /// Python: `event.set()`.
    func set() { raised.withLock { $0 = true } }
    /// Python: `event.is_set()`.
    var isSet: Bool { raised.withLock { $0 } }
}

/// What a multi-part download achieved before it ended.
struct PartialDownload: Sendable {
    var partsFetched: Int
    var partsWanted: Int
    var bytes: Int
}

/// Downloads a "large file" as a series of parts, one request each, and looks at `stop`
/// between parts: the task decides for itself where it is safe to stop.
func downloadInParts(_ partURLs: [String], stop: StopFlag) throws -> PartialDownload {
    var download = PartialDownload(partsFetched: 0, partsWanted: partURLs.count, bytes: 0)
    for url in partURLs {
        if stop.isSet { break }  // the cooperative check
        download.bytes += try fetch(url)
        download.partsFetched += 1
    }
    return download
}

/// The state of a future, in Python's words.
func stateName<Value>(_ future: Future<Value>) -> String {
    if future.isCancelled { return "cancelled" }
    if future.isRunning { return "running" }
    if future.isDone { return "finished" }
    return "pending"
}

/// Sleeps the calling thread (only the main thread does, to let time pass between steps).
func pause(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

/// Waits until `condition` holds, looking every millisecond, for at most `limit`.
@discardableResult
func waitUntil(_ limit: Duration = .seconds(5), _ condition: () -> Bool) -> Bool {
    let clock = Stopwatch()
    while !condition() {
        if clock.elapsed > limit { return false }
        pause(.milliseconds(1))
    }
    return true
}

/// Prints one row of a small table, each column padded to its width.
func row(_ cells: [String], widths: [Int]) {
    var line = "  "
    for (cell, width) in zip(cells, widths) {
        line += cell + String(repeating: " ", count: max(1, width - cell.count))
    }
    while line.hasSuffix(" ") { line.removeLast() }
    print(line)
}

/// How a future ended, for a table: its value, or the error it throws.
func outcome(_ future: Future<Int>) -> String {
    do {
        return "\(try future.result()) bytes"
    } catch {
        return "\(error)"
    }
}

// MARK: - The lesson

lesson(info)
say("""
    Sometimes you no longer want what you asked for: the user closed the window, another mirror \
    answered first, a deadline passed. A future has a `cancel()` method, but it can only call off \
    work that has not begun. This lesson shows where that line is, and what to do about work \
    that is already running.
    """)

let server = try LocalHTTPServer(configuration: .init(pageSize: 2_048, pageDelay: pageDelay))
print()
say("""
    The lesson's own web server is at \(server.baseURL); each page takes \(pageDelay.readable) \
    to arrive. Every pool below has 2 workers, so with 6 downloads, 2 run and 4 wait in the queue.
    """)

section("1. cancel(): queued yes, running no")
code(
    swift: """
        let futures = try urls.map { url in
            try pool.submit { try fetch(url) }
        }
        for f in futures {
            print(f.isRunning, f.cancel())
        }
        """,
    python: """
        futures = [ex.submit(fetch, url)
                   for url in urls]

        for f in futures:
            print(f.running(), f.cancel())
        """)
let firstRecorder = TaskEventRecorder()
let firstClock = Stopwatch()
try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker", observer: firstRecorder.record) { pool in
    let futures = try server.pageURLs(count: 6).map { url in try pool.submit { try fetch(url) } }
    // Give the two workers a moment to pick up their first tasks.
    waitUntil { futures[0].isRunning && futures[1].isRunning }
    let widths = [7, 15, 11, 14]
    row(["task", "state before", "cancel()", "state after"], widths: widths)
    for (index, future) in futures.enumerated() {
        let before = stateName(future)
        let cancelled = future.cancel()
        row(["\(index)", before, "\(cancelled)", stateName(future)], widths: widths)
    }
    print()
    say("And what each future gives back, once the running ones are done:")
    for (index, future) in futures.enumerated() {
        result("task \(index)", outcome(future))
    }
}
result("the whole batch took", firstClock.elapsed.readable)
say("""
    Tasks 0 and 1 were already on a worker: `cancel()` returned `false` and they ran to the end. \
    Tasks 2 to 5 were still in the queue: `cancel()` returned `true`, they will never run, and \
    their `result()` throws `CancelledError`. The batch took one download's time instead of three.
    """)
Timeline.print([TimelineSection("6 downloads, 4 of them cancelled", spans: TimelineSpan.spans(from: firstRecorder.events))])
note("A cancelled task never reaches a worker, so it has no bar on the timeline.")

section("2. Too late: cancel() on a finished future")
let finished = try withThreadPool(maxWorkers: 1) { pool in
    try pool.submit { try fetch(server.url("/page/0?delay=0")) }
}
_ = try finished.result()
code(swift: "let again = finished.cancel()", python: "again = finished.cancel()")
result("cancel() on a finished future", "\(finished.cancel())")
result("its state", stateName(finished))
say("""
    `cancel()` never takes back a result that exists. It returns `true` only for a future that is \
    (now or already) cancelled, which is why code can call it on every future without checking \
    first.
    """)

section("3. Cancelled futures are done at once")
say("""
    A cancelled future counts as done the moment `cancel()` returns, and whoever waits on it is \
    woken at once. So `wait(..., returnWhen: .firstCompleted)` returns immediately when some \
    futures are cancelled, and `asCompleted` hands them out first.
    """)
code(
    swift: """
        for f in futures[2...] { f.cancel() }
        let (done, notDone) = try wait(futures,
            returnWhen: .firstCompleted)
        try asCompleted(futures).forEach { f in ... }
        """,
    python: """
        for f in futures[2:]: f.cancel()
        done, not_done = wait(futures,
            return_when=FIRST_COMPLETED)
        for f in as_completed(futures): ...
        """)
try withThreadPool(maxWorkers: 2) { pool in
    let futures = try server.pageURLs(count: 6).map { url in try pool.submit { try fetch(url) } }
    for future in futures[2...] { future.cancel() }
    let clock = Stopwatch()
    let (done, notDone) = try wait(futures, returnWhen: .firstCompleted)
    result("wait(.firstCompleted) returned after", clock.elapsed.readable)
    result("done / not done", "\(done.count) / \(notDone.count) (the done ones are the cancelled ones)")
    let order = Dictionary(uniqueKeysWithValues: futures.enumerated().map { ($1, $0) })
    try asCompleted(futures).forEach { future in
        result("asCompleted at \(clock.elapsed.readable)", "task \(order[future]!), \(stateName(future))")
    }
}
say("""
    The four cancelled futures came out at once, in input order; the two real downloads followed \
    when they finished. A loop over `asCompleted` must therefore expect cancelled futures: calling \
    `result()` on one throws `CancelledError` (check `isCancelled` first).
    """)
note("""
    Python differs here: CPython only counts a cancelled future as done once the executor has \
    noticed it, so `wait` can hang after `shutdown(cancel_futures=True)` (gh-92001).
    """)

section("4. shutdown(cancelFutures: true): drop the whole queue")
say("""
    When the program is giving up on everything, cancelling futures one by one is tedious. \
    `shutdown(cancelFutures: true)` cancels every task still in the queue, lets the running ones \
    finish, and (with `wait: true`) returns when the workers are gone.
    """)
code(
    swift: "pool.shutdown(wait: true, cancelFutures: true)",
    python: "ex.shutdown(wait=True, cancel_futures=True)")
let shutdownPool = try ThreadPoolExecutor(maxWorkers: 2)
let queuedFutures = try server.pageURLs(count: 8).map { url in try shutdownPool.submit { try fetch(url) } }
waitUntil { queuedFutures[0].isRunning && queuedFutures[1].isRunning }
let shutdownClock = Stopwatch()
shutdownPool.shutdown(wait: true, cancelFutures: true)
result("shutdown returned after", shutdownClock.elapsed.readable + " (the two running downloads finished first)")
result("finished / cancelled", "\(queuedFutures.count { $0.isDone && !$0.isCancelled }) / \(queuedFutures.count(where: \.isCancelled))")
let shutdownStatistics = shutdownPool.statistics
result("pool.statistics", "completed \(shutdownStatistics.completed), cancelled \(shutdownStatistics.cancelled), workers left \(shutdownStatistics.liveWorkers)")
say("""
    Without `cancelFutures`, the same shutdown would have waited for all 8 downloads, \
    4 rounds of \(pageDelay.readable). Either way, a task that is running is never interrupted.
    """)

section("5. Stopping running work: ask it to stop")
say("""
    A thread cannot be killed safely from outside: it might hold a lock or be halfway through \
    writing a file. So a running task stops only if it checks, at points where stopping is safe, \
    whether someone asked it to. A shared flag does the job. Each task below downloads a large \
    file as 8 parts of \(partDelay.readable) each and looks at the flag before every part.
    """)
code(
    swift: """
        let stop = StopFlag()
        func downloadInParts(_ urls: [String],
                             stop: StopFlag) throws -> Int {
            var parts = 0
            for url in urls {
                if stop.isSet { break }
                _ = try fetch(url)
                parts += 1
            }
            return parts
        }
        // later, from the main thread:
        stop.set()
        pool.shutdown(cancelFutures: true)
        """,
    python: """
        stop = threading.Event()
        def download_in_parts(urls):
            parts = 0
            for url in urls:
                if stop.is_set():
                    break
                fetch(url)
                parts += 1
            return parts

        # later, from the main thread:
        stop.set()
        ex.shutdown(cancel_futures=True)
        """)

/// The URLs of the 8 parts of file `file`.
func partURLs(file: Int) -> [String] {
    (0..<8).map { part in server.url("/page/\(file * 8 + part)?delay=\(Int(partDelay.inMilliseconds))&size=512") }
}

/// Runs 4 multi-part downloads on 2 workers; raises the stop flag after `stopAfter`, if given.
func runDownloads(stopAfter: Duration?) throws -> (downloads: [Future<PartialDownload>], spans: [TimelineSpan], wall: Duration) {
    let recorder = TaskEventRecorder()
    let stop = StopFlag()
    let clock = Stopwatch()
    let pool = try ThreadPoolExecutor(maxWorkers: 2, threadNamePrefix: "worker", observer: recorder.record)
    let files = (0..<4).map(partURLs(file:))
    let downloads = try files.map { urls in try pool.submit { try downloadInParts(urls, stop: stop) } }
    if let stopAfter {
        pause(stopAfter)
        stop.set()
        pool.shutdown(wait: true, cancelFutures: true)
    } else {
        pool.shutdown(wait: true)
    }
    return (downloads, TimelineSpan.spans(from: recorder.events), clock.elapsed)
}

let stopAt = options.scaled(.milliseconds(200))
let fullRun = try runDownloads(stopAfter: nil)
let stoppedRun = try runDownloads(stopAfter: stopAt)
result("without stopping", "4 files, \(fullRun.wall.readable)")
result("stop flag raised at \(stopAt.readable)", "finished in \(stoppedRun.wall.readable)")
for (index, download) in stoppedRun.downloads.enumerated() {
    if download.isCancelled {
        result("file \(index)", "cancelled while queued, never started")
    } else {
        let parts = try download.result()
        result("file \(index)", "stopped itself after \(parts.partsFetched) of \(parts.partsWanted) parts (\(parts.bytes) bytes kept)")
    }
}
Timeline.print([
    TimelineSection("4 files, nobody stops them", spans: fullRun.spans),
    TimelineSection("stop flag raised at \(stopAt.readable)", spans: stoppedRun.spans),
])
say("""
    In the second run the two running downloads saw the flag at their next check and returned \
    what they had; the two queued ones were cancelled by the shutdown. A task that never checks \
    the flag cannot be stopped this way: the check is the task's promise to cooperate. The finer \
    the checks, the sooner it stops.
    """)
note("Swift's own tasks work the same way: `Task.isCancelled` is a flag the task has to look at (lesson 15).")

server.stop()

takeaways([
    "`cancel()` succeeds only while a task waits in the queue; a running or finished task cannot be cancelled (it returns `false`).",
    "A cancelled future is done at once: `wait` and `asCompleted` return it immediately, and its `result()` throws `CancelledError`.",
    "`shutdown(cancelFutures: true)` (Python's `cancel_futures=True`) drops every queued task and lets the running ones finish.",
    "Running work stops only cooperatively: give tasks a shared flag (`threading.Event` in Python) and have them check it at safe points.",
    "To stop everything fast: raise the flag, then shut down with `cancelFutures: true`.",
])
exercise(
    command: "swift run workbook check 09a",
    description: "stop a search as soon as one worker finds the target: the other workers stop at their next check, and nothing queued starts.")
nextStep(command: "swift run lesson10")
