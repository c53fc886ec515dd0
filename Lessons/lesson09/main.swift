// Lesson 09 — Cancellation
//
// What `cancel()` can stop and what it cannot: a task still in the queue can be called off, a
// running one cannot. Then `shutdown(cancelFutures:)`, cancelled futures in `wait` and
// `asCompleted`, and the one way to stop work that is already running: ask it to stop.
// The code it shows is in Examples.swift.
//
//   swift run lesson09            normal speed (about 3 s)
//   swift run lesson09 --fast     delays divided by 10
//   swift run lesson09 --step     pause after each section (presenter mode)
//   swift run lesson09 --help

import ConcurrentFutures
import LessonSupport

let info = LessonInfo(
    number: 9, title: "Cancellation",
    summary: "Cancels queued and running downloads from a local HTTP server, shuts a pool down with\n"
        + "cancelFutures, and stops running work with a shared stop flag, drawn on a timeline.",
    sections: [
        "cancel(): queued yes, running no", "Too late: cancel() on a finished future", "Cancelled futures are done at once",
        "shutdown(cancelFutures: true): drop the whole queue", "Stopping running work: ask it to stop",
    ])
let options = LessonOptions.parseOrExit(info)
let pageDelay = options.scaled(.milliseconds(400))
let partDelay = options.scaled(.milliseconds(50))

/// How a future ended, for a table: its size, or the error it throws.
func outcome(_ future: Future<HTTPResponse>) -> String {
    do {
        return "\(try future.result().body.count) bytes"
    } catch {
        return "\(error)"
    }
}

let server = try LocalHTTPServer(configuration: .init(pageSize: 2_048, pageDelay: pageDelay))

lesson(info)
say("""
    Sometimes you no longer want what you asked for: the user closed the window, another mirror \
    answered first, a deadline passed. A future has a `cancel()` method, but it can only call off \
    work that has not begun. This lesson shows where that line is, and what to do about work \
    that is already running.

    The lesson's own web server is at \(server.baseURL); each page takes \(pageDelay.readable) \
    to arrive. Every pool below has 2 workers, so with 6 downloads, 2 run and 4 wait in the queue.
    """)

section("cancel(): queued yes, running no")
code(
    snippet: "cancel",
    python: """
        futures = [pool.submit(fetch, url) for url in urls]
        # ... once both workers are busy:
        for index, future in enumerate(futures):
            before = future._state
            cancelled = future.cancel()
            report(index, before, cancelled, future._state)
        """)
let firstRecorder = TaskEventRecorder()
let firstClock = Stopwatch()
try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker", observer: firstRecorder.record) { pool in
    let widths = [7, 15, 11, 14]
    tableRow(["task", "state before", "cancel()", "state after"], widths: widths, numbers: false)
    let futures = try cancelEach(server.pageURLs(count: 6), on: pool) { index, before, cancelled, after in
        tableRow(["\(index)", before, "\(cancelled)", after], widths: widths, numbers: false)
    }
    show("")
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

section("Too late: cancel() on a finished future")
code(snippet: "too-late", python: "finished = pool.submit(fetch, url)\nfinished.result()\nagain = finished.cancel()")
let tooLate = try withThreadPool(maxWorkers: 1) { pool in
    try cancelTooLate(server.url("/page/0?delay=0"), on: pool)
}
result("cancel() on a finished future", "\(tooLate.cancelled)")
result("its state", tooLate.state)
say("""
    `cancel()` never takes back a result that exists. It returns `true` only for a future that is \
    (now or already) cancelled, which is why code can call it on every future without checking \
    first.
    """)

section("Cancelled futures are done at once")
say("""
    A cancelled future counts as done the moment `cancel()` returns, and whoever waits on it is \
    woken at once. So `wait(..., returnWhen: .firstCompleted)` returns immediately when some \
    futures are cancelled, and `asCompleted` hands them out first.
    """)
code(
    snippet: "done-at-once",
    python: """
        for f in futures[2:]: f.cancel()
        done, not_done = wait(futures,
            return_when=FIRST_COMPLETED)
        waited(len(done), len(not_done))
        for f in as_completed(futures): arrived(f)
        """)
try withThreadPool(maxWorkers: 2) { pool in
    let futures = try server.pageURLs(count: 6).map { url in try pool.submit { try fetch(url) } }
    let order = Dictionary(uniqueKeysWithValues: futures.enumerated().map { ($1, $0) })
    let clock = Stopwatch()
    try waitOnCancelled(futures) { done, notDone in
        result("wait(.firstCompleted) returned after", clock.elapsed.readable)
        result("done / not done", "\(done) / \(notDone) (the done ones are the cancelled ones)")
    } arrived: { future in
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

section("shutdown(cancelFutures: true): drop the whole queue")
say("""
    When the program is giving up on everything, cancelling futures one by one is tedious. \
    `shutdown(cancelFutures: true)` cancels every task still in the queue, lets the running ones \
    finish, and (with `wait: true`) returns when the workers are gone.
    """)
code(snippet: "shutdown", python: "pool.shutdown(wait=True, cancel_futures=True)")
let shutdownPool = try ThreadPoolExecutor(maxWorkers: 2)
let queuedFutures = try server.pageURLs(count: 8).map { url in try shutdownPool.submit { try fetch(url) } }
waitUntil { queuedFutures[0].isRunning && queuedFutures[1].isRunning }
let shutdownClock = Stopwatch()
dropTheQueue(of: shutdownPool)
result("shutdown returned after", shutdownClock.elapsed.readable + " (the two running downloads finished first)")
result("finished / cancelled", "\(queuedFutures.count { $0.isDone && !$0.isCancelled }) / \(queuedFutures.count(where: \.isCancelled))")
let shutdownStatistics = shutdownPool.statistics
result("pool.statistics", "completed \(shutdownStatistics.completed), cancelled \(shutdownStatistics.cancelled), workers left \(shutdownStatistics.liveWorkers)")
say("""
    Without `cancelFutures`, the same shutdown would have waited for all 8 downloads, \
    4 rounds of \(pageDelay.readable). Either way, a task that is running is never interrupted.
    """)

section("Stopping running work: ask it to stop")
say("""
    A thread cannot be killed safely from outside: it might hold a lock or be halfway through \
    writing a file. So a running task stops only if it checks, at points where stopping is safe, \
    whether someone asked it to. A shared flag does the job (`StopFlag`, a `LockedValue<Bool>` \
    inside). Each task below downloads a large file as 8 parts of \(partDelay.readable) each and \
    looks at the flag before every part.
    """)
code(
    snippet: "parts",
    python: """
        def download_in_parts(part_urls, stop):
            download = PartialDownload(0, len(part_urls), 0)
            for url in part_urls:
                if stop.is_set():   # a threading.Event
                    break
                download.bytes += len(fetch(url))
                download.parts_fetched += 1
            return download
        """)
say("Later, the main thread asks the running tasks to stop and drops the queued ones:")
code(
    snippet: "stop",
    python: """
        time.sleep(stop_after)
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        """)

/// The URLs of the 8 parts of file `file`.
func partURLs(file: Int) -> [String] {
    (0..<8).map { part in server.url("/page/\(file * 8 + part)?delay=\(Int(partDelay.inMilliseconds))&size=512") }
}

let stopAt = options.scaled(.milliseconds(200))
let files = (0..<4).map(partURLs(file:))
let fullRun = try runDownloads(files, stopAfter: nil)
let stoppedRun = try runDownloads(files, stopAfter: stopAt)
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
    id: "09a",
    description: "Search shards concurrently; once one searcher finds the target, the others stop at their "
        + "next check (cooperatively) and nothing queued starts.")
nextStep(command: "swift run lesson10")
