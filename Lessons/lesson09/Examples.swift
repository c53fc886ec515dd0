// The code lesson 09 shows, as it runs: each snippet between `// snippet: name` and
// `// snippet end` is printed by the lesson from this file.

import ConcurrentFutures
import LessonSupport

/// Section 1: six downloads on two workers; once both workers are busy, `cancel()` on each.
/// `report` gets each task's state before, what `cancel()` returned, and its state after.
func cancelEach(_ urls: [String], on pool: ThreadPoolExecutor, report: (Int, String, Bool, String) -> Void) throws -> [Future<HTTPResponse>] {
    // snippet: cancel
    let futures = try urls.map { url in try pool.submit { try fetch(url) } }
    waitUntil { futures[0].isRunning && futures[1].isRunning }    // both workers busy
    for (index, future) in futures.enumerated() {
        let before = stateName(future)
        let cancelled = future.cancel()
        report(index, before, cancelled, stateName(future))
    }
    // snippet end
    return futures
}

/// Section 2: `cancel()` on a future whose task has finished.
func cancelTooLate(_ url: String, on pool: ThreadPoolExecutor) throws -> (cancelled: Bool, state: String) {
    // snippet: too-late
    let finished = try pool.submit { try fetch(url) }
    _ = try finished.result()
    let again = finished.cancel()
    // snippet end
    return (again, stateName(finished))
}

/// Section 3: four of six futures cancelled, then `wait` and `asCompleted` over all six.
func waitOnCancelled(
    _ futures: [Future<HTTPResponse>], waited: (Int, Int) -> Void, arrived: (Future<HTTPResponse>) -> Void
) throws {
    // snippet: done-at-once
    for future in futures[2...] { future.cancel() }
    let (done, notDone) = try wait(futures, returnWhen: .firstCompleted)
    waited(done.count, notDone.count)
    try asCompleted(futures).forEach { future in arrived(future) }
    // snippet end
}

/// Section 4: drop the whole queue at once.
func dropTheQueue(of pool: ThreadPoolExecutor) {
    // snippet: shutdown
    pool.shutdown(wait: true, cancelFutures: true)
    // snippet end
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

// snippet: parts
/// Downloads a "large file" as a series of parts, one request each, and looks at `stop`
/// between parts: the task decides for itself where it is safe to stop.
func downloadInParts(_ partURLs: [String], stop: StopFlag) throws -> PartialDownload {
    var download = PartialDownload(partsFetched: 0, partsWanted: partURLs.count, bytes: 0)
    for url in partURLs {
        if stop.isSet { break }    // the cooperative check
        download.bytes += try fetch(url).body.count
        download.partsFetched += 1
    }
    return download
}
// snippet end

/// Section 5: four multi-part downloads on two workers; after `stopAfter`, if given, raise the
/// flag and drop the queue.
func runDownloads(_ files: [[String]], stopAfter: Duration?) throws -> (downloads: [Future<PartialDownload>], spans: [TimelineSpan], wall: Duration) {
    let recorder = TaskEventRecorder()
    let clock = Stopwatch()
    let pool = try ThreadPoolExecutor(maxWorkers: 2, threadNamePrefix: "worker", observer: recorder.record)
    let stop = StopFlag()
    let downloads = try files.map { urls in try pool.submit { try downloadInParts(urls, stop: stop) } }
    if let stopAfter {
        // snippet: stop
        pause(stopAfter)
        stop.set()                                       // running tasks: please stop
        pool.shutdown(wait: true, cancelFutures: true)   // queued tasks: never start
        // snippet end
    } else {
        pool.shutdown(wait: true)
    }
    return (downloads, TimelineSpan.spans(from: recorder.events), clock.elapsed)
}
