// Lesson 06 — Callbacks
//
// `future.addDoneCallback { ... }` runs code when a future is done, without anyone waiting for it.
// The lesson records which thread runs each callback, adds a callback to a future that is already
// done, chains a download into a save to disk, feeds a progress counter, and shows that a callback
// that throws is reported while the pool carries on. The code it shows is in Examples.swift.
//
//   swift run lesson06            normal speed (about 2 s)
//   swift run lesson06 --fast     delays divided by 10
//   swift run lesson06 --step     pause after each section (presenter mode)
//   swift run lesson06 --help

import ConcurrentFutures
import LessonSupport

let info = LessonInfo(
    number: 6, title: "Callbacks",
    summary: "Runs code when downloads from a local HTTP server finish: on which thread,\n"
        + "on a future already done, chaining a save to disk, a progress counter, and a\n"
        + "callback that throws.",
    sections: [
        "addDoneCallback, and which thread runs it", "A callback on a future that is already done",
        "Chaining: a callback that submits the next step", "Callbacks that share state need a lock",
        "A callback that throws",
    ])
let options = LessonOptions.parseOrExit(info)
let pageDelay = options.scaled(.milliseconds(300))
let server = try LocalHTTPServer(configuration: .init(pageSize: 4_096, pageDelay: pageDelay))
let base = server.baseURL

/// The URL of page `number`, answered after `pageDelay` times `factor`.
func pageURL(_ number: Int, factor: Double = 1) -> String {
    "\(base)/page/\(number)?delay=\(Int(pageDelay.inMilliseconds * factor))"
}

/// `pageDelay` times each factor, as a list: "150 ms, 300 ms and 450 ms".
func delays(_ factors: [Double]) -> String {
    let texts = factors.map { (pageDelay * $0).readable }
    return texts.dropLast().joined(separator: ", ") + " and " + texts.last!
}

/// Prints the diary as a table, oldest entry first.
func showDiary() {
    let color = Terminal.isColorEnabled
    show("  " + Terminal.paint("time       thread     what happened", [.dim], enabled: color))
    for (after, entry) in diary.sorted {
        let thread = entry.thread + String(repeating: " ", count: max(1, 11 - entry.thread.count))
        let time = after.readable + String(repeating: " ", count: max(1, 11 - after.readable.count))
        show("  " + time + Terminal.paint(thread, [entry.thread == "main" ? .bold : .cyan], enabled: color) + entry.text)
    }
}

lesson(info)
say("""
    So far the main thread has always asked for results: `result()`, `map`, `asCompleted`, \
    `wait`. A callback turns this around. You give the future a function, and the future calls \
    it when it is done, so nobody has to sit and wait. Python: `future.add_done_callback(fn)`.

    The lesson's server at \(base) answers each page after the delay the lesson asks for \
    (`?delay=`), given in each section. Callbacks write in a `diary` that notes the time and the \
    thread; it is printed after each part.
    """)

section("addDoneCallback, and which thread runs it")
let firstFactors = [1.5, 0.5, 1.0]
say("""
    Three downloads, taking \(delays(firstFactors)), each with a callback. The main thread adds \
    the callbacks and moves on; it never calls `result()` itself. The callback gets the future \
    as its argument and reads the page from it (done, so `result()` does not block).
    """)
code(
    snippet: "callback",
    python: """
        for number, url in enumerate(urls):
            future = pool.submit(fetch, url)
            def callback(future, number=number):
                page = future.result()
                diary.write(f"page {number} is done")
            future.add_done_callback(callback)
        """)
diary.open()
try withThreadPool(maxWorkers: 3, threadNamePrefix: "worker") { pool in
    try downloadWithCallbacks(firstFactors.enumerated().map { pageURL($0.offset, factor: $0.element) }, on: pool)
    diary.write("submitted 3 downloads with a callback each")
    diary.write("leaving withThreadPool, which waits for the pool")
}
showDiary()
say("""
    Each callback ran on the worker thread that had just finished the task, right after it, \
    in the order the downloads finished. The main thread did nothing for them. Keep callbacks \
    short: while one runs, its worker takes no new task.
    """)

section("A callback on a future that is already done")
say("""
    If the future is already done when you add the callback, there is nothing to wait for: \
    `addDoneCallback` calls it at once, on your own thread, before it returns. The same goes \
    for `cancel()`: callbacks of a cancelled future run on the thread that cancelled it. One \
    worker, pages of \((pageDelay * 0.5).readable) each:
    """)
code(
    snippet: "already-done",
    python: """
        finished = pool.submit(fetch, page3)
        finished.result()
        diary.write("page 3 is done")
        finished.add_done_callback(note_page3)
        diary.write("add_done_callback returned")

        busy = pool.submit(fetch, page4)
        queued = pool.submit(fetch, page5)
        queued.add_done_callback(note_page5)
        diary.write("calling cancel()")
        cancelled = queued.cancel()
        diary.write(f"cancel() returned {cancelled}")
        busy.result()
        """)
diary.open()
try withThreadPool(maxWorkers: 1, threadNamePrefix: "worker") { pool in
    try callbacksThatRunHere(page3: pageURL(3, factor: 0.5), page4: pageURL(4, factor: 0.5), page5: pageURL(5, factor: 0.5), on: pool)
}
showDiary()
say("""
    All of it happened on `main`, in program order: the callback ran inside `addDoneCallback`, \
    and inside `cancel()`. So a callback must be safe to run on any thread, yours included.
    """)

section("Chaining: a callback that submits the next step")
let chainFactors = [1.0, 0.5, 0.75]
say("""
    A callback may start the next piece of work. Here each finished download (\(delays(chainFactors))) \
    submits a second task that saves the page to a file in a temporary folder. The main thread \
    wants to know when the whole chain is over, so it makes a future of its own for each page, \
    `Future()`, which the last step completes with `setResult` (or `setException`): the same \
    calls an executor uses to complete the futures it hands out.
    """)
code(
    snippet: "chain",
    python: """
        saved = Future()
        download = pool.submit(fetch, url)
        def next_step(download):
            try:
                page = download.result()
                pool.submit(
                    lambda: saved.set_result(save(page)))
            except Exception as error:
                saved.set_exception(error)
        download.add_done_callback(next_step)
        """)
let folder = makeTemporaryFolder("lesson06")
diary.open()
try withThreadPool(maxWorkers: 3, threadNamePrefix: "worker") { pool in
    let chains = try chainFactors.enumerated().map { index, factor in
        try downloadThenSave(pageURL(6 + index, factor: factor), number: 6 + index, into: folder, on: pool)
    }
    for saved in chains { _ = try saved.result() }
    diary.write("every chain is complete")
}
showDiary()
result("files in the temporary folder", listDirectory(folder).joined(separator: ", "))
removeTree(folder)
say("""
    The main thread waited once per page, on the future at the end of its chain, and only then \
    left `withThreadPool`. That order matters: a pool that is shut down refuses new tasks, so a \
    callback that submits after the shutdown would get `ShutdownError`.
    """)

section("Callbacks that share state need a lock")
say("""
    Callbacks of different futures may run at the same moment on different workers. Any state \
    they share must be protected; Swift 6 will not compile a callback that mutates a plain \
    shared variable. A `LockedValue` does it, and LessonSupport's `ProgressBar` works the same \
    way inside. Eight downloads on four workers, some failing:
    """)
code(
    snippet: "tally",
    python: """
        lock = threading.Lock()
        tally = {"ok": 0, "failed": 0}
        def count(future):
            key = "failed" if future.exception() else "ok"
            with lock:
                tally[key] += 1
            progress.advance()
        future.add_done_callback(count)
        """)
let tally = LockedValue((ok: 0, failed: 0))
let progress = ProgressBar(total: 8, title: "downloads")
try withThreadPool(maxWorkers: 4, threadNamePrefix: "worker") { pool in
    for number in 0..<8 {
        let url = pageURL(number, factor: [0.4, 0.7, 1.0][number % 3]) + (number % 3 == 2 ? "&status=503" : "")
        countOutcome(of: try pool.submit { try fetch(url) }, in: tally, progress: progress)
    }
}
let counts = tally.withLock { $0 }
result("succeeded, failed", "\(counts.ok), \(counts.failed)")

section("A callback that throws")
say("""
    A callback has nobody to throw to: it runs on some worker, long after the code that added \
    it has moved on. So the error is reported (by default, one line on standard error; Python \
    logs it) and then forgotten; the next callbacks still run, and the pool carries on. Below, \
    the lesson installs its own report handler to show the report here, then restores the \
    default. Pages of \((pageDelay * 0.5).readable):
    """)
code(
    snippet: "throwing",
    python: """
        # Python logs it instead:
        # ERROR:concurrent.futures:exception
        #   calling callback for <Future ...>
        with ThreadPoolExecutor(2) as pool:
            future = pool.submit(fetch, url)
            future.add_done_callback(bad_callback)
            future.add_done_callback(still_runs)
            future.result()
            others = [pool.submit(fetch, u)
                      for u in more]
            for other in others:
                other.result()
        """)
diary.open()
let afterwards = try throwingCallback(pageURL(9, factor: 0.5), more: (10..<14).map { pageURL($0, factor: 0.5) })
showDiary()
for report in afterwards.reports {
    resultBlock("reported (\(report.kind))", withShortAddresses(report.message))
}
result("the pool's statistics", "completed \(afterwards.statistics.completed), failed \(afterwards.statistics.failed)")
say("""
    The throwing callback did not fail the task (it had already succeeded: failed is 0), did not \
    stop the second callback, and did not break the pool. But its error would be easy to miss in \
    a busy log: handle errors inside callbacks yourself.
    """)

server.stop()

takeaways([
    "`future.addDoneCallback { future in ... }` runs when the future is done: finished, failed or cancelled.",
    "It runs on the worker that finished the task; if the future is already done, at once on the calling thread; after `cancel()`, on the cancelling thread.",
    "Keep callbacks short and thread-safe; protect shared state with a lock such as `LockedValue`.",
    "A callback can chain work by submitting the next step; make sure the pool is not shut down before the chain ends.",
    "A callback that throws is reported by `FutureDiagnostics` and otherwise ignored: the other callbacks and the pool carry on.",
])
exercise(
    id: "06a",
    description: "Count futures as they finish (succeeded, failed, cancelled) from done-callbacks, safely from "
        + "many threads at once.")
nextStep(command: "swift run lesson07")
