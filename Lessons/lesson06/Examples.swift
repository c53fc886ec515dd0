// The code lesson 06 shows, as it runs: each snippet between `// snippet: name` and
// `// snippet end` is printed by the lesson from this file.

import ConcurrentFutures
import LessonSupport

/// A diary any thread may write in: each entry notes when, on which thread, and what happened.
/// Callbacks write here instead of printing, so that the lesson can print everything afterwards,
/// in time order, without lines from several threads getting mixed up.
final class Diary: Sendable {
    struct Entry: Sendable {
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

    /// Adds an entry, noting the time and the calling thread: the pool worker's name, or "main".
    func write(_ text: String) {
        let entry = Entry(time: .now, thread: ThreadPoolExecutor.currentWorkerName ?? "main", text: text)
        entries.withLock { $0.append(entry) }
    }

    /// The entries, oldest first, with their time since `open()`.
    var sorted: [(after: Duration, entry: Entry)] {
        let origin = start.withLock { $0 }
        return entries.withLock { $0 }.sorted { $0.time < $1.time }.map { ($0.time - origin, $0) }
    }
}

/// The lesson's diary.
let diary = Diary()

/// Section 1: three downloads, each with a callback that writes in the diary.
func downloadWithCallbacks(_ urls: [String], on pool: ThreadPoolExecutor) throws {
    // snippet: callback
    for (number, url) in urls.enumerated() {
        let future = try pool.submit { try fetch(url) }
        future.addDoneCallback { future in
            let page = try future.result()
            diary.write("callback: page \(number) is done, \(page.body.count) bytes")
        }
    }
    // snippet end
}

/// Section 2: a callback added to a finished future, and one on a queued future that is
/// cancelled. A pool of one worker.
func callbacksThatRunHere(page3: String, page4: String, page5: String, on pool: ThreadPoolExecutor) throws {
    // snippet: already-done
    let finished = try pool.submit { try fetch(page3) }
    _ = try finished.result()
    diary.write("page 3 is done; calling addDoneCallback")
    finished.addDoneCallback { _ in diary.write("callback of page 3") }
    diary.write("addDoneCallback returned")

    let busy = try pool.submit { try fetch(page4) }
    let queued = try pool.submit { try fetch(page5) }
    queued.addDoneCallback { future in diary.write("callback of page 5: isCancelled = \(future.isCancelled)") }
    diary.write("page 5 is queued behind page 4; calling cancel()")
    let cancelled = queued.cancel()
    diary.write("cancel() returned \(cancelled)")
    _ = try busy.result()
    // snippet end
}

/// Step 2 of the chain: writes the page into `folder` and returns the file's name.
func save(_ page: HTTPResponse, number: Int, in folder: String) throws -> String {
    let name = "page-\(number).txt"
    try writeFile(folder + "/" + name, page.body)
    diary.write("saved \(name), \(try readFile(folder + "/" + name).count) bytes on disk")
    return name
}

/// Section 3: download, then (from the callback) submit the save; the future this returns is
/// completed at the end of the chain.
func downloadThenSave(_ url: String, number: Int, into folder: String, on pool: ThreadPoolExecutor) throws -> Future<String> {
    // snippet: chain
    let saved = Future<String>()        // completed at the end of the chain
    let download = try pool.submit { try fetch(url) }
    download.addDoneCallback { download in
        do {
            let page = try download.result()
            diary.write("page \(number) downloaded; callback submits the save")
            try pool.submit {
                do {
                    try saved.setResult(try save(page, number: number, in: folder))
                } catch {
                    try saved.setException(error)
                }
            }
        } catch {
            try saved.setException(error)
        }
    }
    // snippet end
    return saved
}

/// Section 4: counts the outcome of `future` in `tally` and advances `progress`, from a callback.
func countOutcome(of future: Future<HTTPResponse>, in tally: LockedValue<(ok: Int, failed: Int)>, progress: ProgressBar) {
    // snippet: tally
    future.addDoneCallback { future in
        let failed = (try? future.exception()) != nil
        tally.withLock { if failed { $0.failed += 1 } else { $0.ok += 1 } }
        progress.advance()
    }
    // snippet end
}

/// The error the faulty callback throws.
struct BadCallback: Error, CustomStringConvertible {
    var description: String { "BadCallback: this callback is broken on purpose" }
}

/// Section 5: a callback that throws, with the report caught by the lesson's own handler; then
/// four more downloads on the same pool. Returns the reports and the pool's statistics.
func throwingCallback(_ url: String, more: [String]) throws -> (reports: [FutureDiagnostics.Report], statistics: ExecutorStatistics) {
    let reports = LockedValue<[FutureDiagnostics.Report]>([])
    // snippet: throwing
    FutureDiagnostics.setHandler { report in reports.withLock { $0.append(report) } }
    let statistics = try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker") { pool in
        let future = try pool.submit { try fetch(url) }
        future.addDoneCallback { _ in
            diary.write("first callback: about to throw")
            throw BadCallback()
        }
        future.addDoneCallback { _ in diary.write("second callback: still runs") }
        _ = try future.result()
        let others = try more.map { url in try pool.submit { try fetch(url) } }
        for other in others { _ = try other.result() }
        diary.write("\(others.count) more downloads went through the same pool")
        return pool.statistics
    }
    FutureDiagnostics.setHandler(nil)    // the default again: a line on standard error
    // snippet end
    return (reports.withLock { $0 }, statistics)
}
