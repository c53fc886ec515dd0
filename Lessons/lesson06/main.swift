// Lesson 06 — Callbacks
//
// `future.addDoneCallback { ... }` runs code when a future is done, without anyone waiting for it.
// The lesson records which thread runs each callback, adds a callback to a future that is already
// done, chains a download into a save to disk, feeds a progress counter, and shows that a callback
// that throws is reported while the pool carries on.
//
//   swift run lesson06            normal speed (about 2 s)
//   swift run lesson06 --fast     delays divided by 10
//   swift run lesson06 --help

import ConcurrentFutures
import Foundation
import LessonSupport

let info = LessonInfo(
    number: 6, title: "Callbacks",
    summary: "Runs code when downloads from a local HTTP server finish: on which thread,\n"
        + "on a future already done, chaining a save to disk, a progress counter, and a\n"
        + "callback that throws.")
let options = LessonOptions.parseOrExit(info)
let pageDelay = options.scaled(.milliseconds(300))
let server = try LocalHTTPServer(configuration: .init(pageSize: 4_096, pageDelay: pageDelay))
let base = server.baseURL

/// Downloads one page; a reply that is not 2xx becomes an error. Blocking.
func fetch(_ url: String) throws -> HTTPResponse {
    try HTTPClient.get(url, timeout: .seconds(10)).ensureSuccess()
}

/// The URL of page `number`, answered after `pageDelay` times `factor`.
func pageURL(_ number: Int, factor: Double = 1) -> String {
    "\(base)/page/\(number)?delay=\(Int(pageDelay.inMilliseconds * factor))"
}

/// Who is running this code: the pool worker's name, or "main".
func threadName() -> String {
    ThreadPoolExecutor.currentWorkerName ?? "main"
}

/// A diary any thread may write in: each entry notes when, on which thread, and what happened.
/// Callbacks write here instead of printing, so that the lesson can print everything afterwards,
/// in time order, without lines from several threads getting mixed up.
final class Diary: Sendable {
    private struct Entry: Sendable {
        var time: ContinuousClock.Instant
        var thread: String
        var text: String
    }
    private let entries = LockedValue<[Entry]>([])
    private let start = LockedValue(ContinuousClock.now)

    /// Forgets every entry and starts the clock again.
    func open() {
        entries.withLock { $0.removeAll() }
        start.withLock { $0 = .now }
    }

    /// Adds an entry, noting the time and the calling thread.
    func write(_ text: String) {
        let entry = Entry(time: .now, thread: threadName(), text: text)
        entries.withLock { $0.append(entry) }
    }

    /// Prints the entries as a table, oldest first.
    func show() {
        let origin = start.withLock { $0 }
        let sorted = entries.withLock { $0 }.sorted { $0.time < $1.time }
        print("  " + Terminal.paint(padded("time", 11) + padded("thread", 11) + "what happened", .dim))
        for entry in sorted {
            let thread = Terminal.paint(padded(entry.thread, 11), entry.thread == "main" ? .bold : .cyan)
            print("  " + padded((entry.time - origin).readable, 11) + thread + entry.text)
        }
    }
}
let diary = Diary()

/// `text` padded with spaces to `width` columns.
func padded(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
}

lesson(info)
say("""
    So far the main thread has always asked for results: `result()`, `map`, `asCompleted`, \
    `wait`. A callback turns this around. You give the future a function, and the future calls \
    it when it is done, so nobody has to sit and wait. Python: `future.add_done_callback(fn)`.

    The lesson's server at \(base) answers each page after about \(pageDelay.readable). \
    Callbacks write in a diary that notes the time and the thread, printed after each part.
    """)

// MARK: - 1

section("1. addDoneCallback, and which thread runs it")
say("""
    Three downloads, each with a callback. The main thread adds the callbacks and moves on; it \
    never calls `result()` itself. The callback gets the future as its argument and reads the \
    page from it (done, so `result()` does not block).
    """)
code(
    swift: """
        let future = try pool.submit { try fetch(url) }
        future.addDoneCallback { future in
            let page = try future.result()
            print(page.body.count, ThreadPoolExecutor.currentWorkerName)
        }
        """,
    python: """
        future = pool.submit(fetch, url)
        def report(future):
            page = future.result()
            print(len(page), current_thread().name)
        future.add_done_callback(report)
        """)
diary.open()
try withThreadPool(maxWorkers: 3, threadNamePrefix: "worker") { pool in
    for (number, factor) in [(0, 1.5), (1, 0.5), (2, 1.0)] {
        let url = pageURL(number, factor: factor)
        let future = try pool.submit { try fetch(url) }
        future.addDoneCallback { future in
            diary.write("callback: page \(number) is done, \(try future.result().body.count) bytes")
        }
    }
    diary.write("submitted 3 downloads with a callback each")
    diary.write("leaving withThreadPool, which waits for the pool")
}
diary.show()
say("""
    Each callback ran on the worker thread that had just finished the task, right after it, \
    in the order the downloads finished. The main thread did nothing for them. Keep callbacks \
    short: while one runs, its worker takes no new task.
    """)

// MARK: - 2

section("2. A callback on a future that is already done")
say("""
    If the future is already done when you add the callback, there is nothing to wait for: \
    `addDoneCallback` calls it at once, on your own thread, before it returns. The same goes \
    for `cancel()`: callbacks of a cancelled future run on the thread that cancelled it.
    """)
code(
    swift: """
        _ = try finished.result()          // done now
        finished.addDoneCallback { _ in ... }   // runs here, now

        queued.addDoneCallback { _ in ... }
        queued.cancel()                    // runs the callback
        """,
    python: """
        finished.result()
        finished.add_done_callback(fn)

        queued.add_done_callback(fn)
        queued.cancel()
        """)
diary.open()
try withThreadPool(maxWorkers: 1, threadNamePrefix: "worker") { pool in
    let finished = try pool.submit { try fetch(pageURL(3, factor: 0.5)) }
    _ = try finished.result()
    diary.write("page 3 is done; calling addDoneCallback")
    finished.addDoneCallback { _ in diary.write("callback of page 3") }
    diary.write("addDoneCallback returned")

    let busy = try pool.submit { try fetch(pageURL(4, factor: 0.5)) }
    let queued = try pool.submit { try fetch(pageURL(5, factor: 0.5)) }
    queued.addDoneCallback { future in diary.write("callback of page 5: isCancelled = \(future.isCancelled)") }
    diary.write("page 5 is queued behind page 4; calling cancel()")
    let cancelled = queued.cancel()
    diary.write("cancel() returned \(cancelled)")
    _ = try busy.result()
}
diary.show()
say("""
    All of it happened on `main`, in program order: the callback ran inside `addDoneCallback`, \
    and inside `cancel()`. So a callback must be safe to run on any thread, yours included.
    """)

// MARK: - 3

section("3. Chaining: a callback that submits the next step")
say("""
    A callback may start the next piece of work. Here each finished download submits a second \
    task that saves the page to a file in a temporary folder. The main thread wants to know \
    when the whole chain is over, so it makes a future of its own for each page, `Future()`, \
    which the last step completes with `setResult` (or `setException`): the same calls an \
    executor uses to complete the futures it hands out.
    """)
code(
    swift: """
        let saved = Future<String>()    // completed at the end of the chain
        let download = try pool.submit { try fetch(url) }
        download.addDoneCallback { download in
            do {
                let page = try download.result()
                try pool.submit {
                    try saved.setResult(try save(page))
                }
            } catch {
                try saved.setException(error)
            }
        }
        print(try saved.result())        // waits for both steps
        """,
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
        print(saved.result())
        """)

/// Step 2 of the chain: writes the page into `folder` and returns the file's name and size.
func save(_ page: HTTPResponse, number: Int, in folder: URL) throws -> String {
    let file = folder.appendingPathComponent("page-\(number).txt")
    try Data(page.body).write(to: file)
    let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int ?? -1
    diary.write("saved \(file.lastPathComponent), \(size) bytes on disk")
    return file.lastPathComponent
}

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lesson06-\(UUID().uuidString.prefix(8))")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
diary.open()
try withThreadPool(maxWorkers: 3, threadNamePrefix: "worker") { pool in
    var savedFiles: [Future<String>] = []
    for (number, factor) in [(6, 1.0), (7, 0.5), (8, 0.75)] {
        let url = pageURL(number, factor: factor)
        let saved = Future<String>()
        let download = try pool.submit { try fetch(url) }
        download.addDoneCallback { download in
            do {
                let page = try download.result()
                diary.write("page \(number) downloaded; callback submits the save")
                try pool.submit {
                    do { try saved.setResult(try save(page, number: number, in: folder)) } catch { try saved.setException(error) }
                }
            } catch {
                try saved.setException(error)
            }
        }
        savedFiles.append(saved)
    }
    for saved in savedFiles { _ = try saved.result() }
    diary.write("every chain is complete")
}
diary.show()
let savedNames = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
result("files in the temporary folder", savedNames.joined(separator: ", "))
try FileManager.default.removeItem(at: folder)
say("""
    The main thread waited once per page, on the future at the end of its chain, and only then \
    left `withThreadPool`. That order matters: a pool that is shut down refuses new tasks, so a \
    callback that submits after the shutdown would get `ShutdownError`.
    """)

// MARK: - 4

section("4. Callbacks that share state need a lock")
say("""
    Callbacks of different futures may run at the same moment on different workers. Any state \
    they share must be protected; Swift 6 will not compile a callback that mutates a plain \
    shared variable. A `LockedValue` does it, and LessonSupport's `ProgressBar` works the same \
    way inside. Eight downloads on four workers, some failing:
    """)
code(
    swift: """
        let tally = LockedValue((ok: 0, failed: 0))
        future.addDoneCallback { future in
            let failed = (try? future.exception()) != nil
            tally.withLock {
                if failed { $0.failed += 1 } else { $0.ok += 1 }
            }
            progress.advance()
        }
        """,
    python: """
        lock = threading.Lock()
        tally = {"ok": 0, "failed": 0}
        def count(future):
            key = "failed" if future.exception() else "ok"
            with lock:
                tally[key] += 1
            progress.advance()
        """)
let tally = LockedValue((ok: 0, failed: 0))
let progress = ProgressBar(total: 8, title: "downloads")
try withThreadPool(maxWorkers: 4, threadNamePrefix: "worker") { pool in
    for number in 0..<8 {
        let url = pageURL(number, factor: [0.4, 0.7, 1.0][number % 3]) + (number % 3 == 2 ? "&status=503" : "")
        let future = try pool.submit { try fetch(url) }
        future.addDoneCallback { future in
            let failed = (try? future.exception()) != nil
            tally.withLock { if failed { $0.failed += 1 } else { $0.ok += 1 } }
            progress.advance()
        }
    }
}
let counts = tally.withLock { $0 }
result("succeeded, failed", "\(counts.ok), \(counts.failed)")

// MARK: - 5

section("5. A callback that throws")
say("""
    A callback has nobody to throw to: it runs on some worker, long after the code that added \
    it has moved on. So the error is reported (by default, one line on standard error; Python \
    logs it) and then forgotten; the next callbacks still run, and the pool carries on. Below, \
    the lesson installs its own report handler to show the report here, then restores the \
    default.
    """)
code(
    swift: """
        FutureDiagnostics.setHandler { report in
            print("reported:", report.message)
        }
        future.addDoneCallback { _ in throw BadCallback() }
        future.addDoneCallback { _ in print("still runs") }
        // ... later
        FutureDiagnostics.setHandler(nil)   // the default again
        """,
    python: """
        # Python logs it instead:
        # ERROR:concurrent.futures:exception
        #   calling callback for <Future ...>
        future.add_done_callback(bad_callback)
        future.add_done_callback(still_runs)
        """)

/// The error the faulty callback throws.
struct BadCallback: Error, CustomStringConvertible {
    var description: String { "BadCallback: this callback is broken on purpose" }
}

let reports = LockedValue<[FutureDiagnostics.Report]>([])
FutureDiagnostics.setHandler { report in reports.withLock { $0.append(report) } }
diary.open()
let afterwards = try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker") { pool in
    let future = try pool.submit { try fetch(pageURL(9, factor: 0.5)) }
    future.addDoneCallback { _ in
        diary.write("first callback: about to throw")
        throw BadCallback()
    }
    future.addDoneCallback { _ in diary.write("second callback: still runs") }
    _ = try future.result()
    // The pool is fine: more work goes through.
    let more = try (0..<4).map { number in try pool.submit { try fetch(pageURL(10 + number, factor: 0.5)) } }
    for future in more { _ = try future.result() }
    diary.write("4 more downloads went through the same pool")
    return pool.statistics
}
FutureDiagnostics.setHandler(nil)
diary.show()
for report in reports.withLock({ $0 }) {
    result("reported (\(report.kind))", "\(report.error)")
    note(report.message)
}
result("the pool's statistics", "completed \(afterwards.completed), failed \(afterwards.failed)")
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
    command: "swift run workbook check 06a",
    description: "A progress counter fed by callbacks. Count succeeded, failed and cancelled tasks, "
        + "safely from any thread.")
nextStep(command: "swift run lesson07")
