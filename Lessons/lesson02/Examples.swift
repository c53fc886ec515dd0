// The code lesson 02 shows, as it runs: each snippet between `// snippet: name` and
// `// snippet end` is printed by the lesson from this file.

import ConcurrentFutures
import LessonSupport

/// Section 1: submit a download, look at the receipt, then wait for the page. `show` gets the
/// future as `print` would show it, right after `submit` returned.
func submitAndWait(_ url: String, on pool: ThreadPoolExecutor, show: (String) -> Void) throws -> HTTPResponse {
    // snippet: submit
    let future = try pool.submit { try fetch(url) }
    show(shortDescription(future))      // the receipt, as print shows it
    let page = try future.result()
    // snippet end
    return page
}

/// Section 2: two downloads on a pool, their states read every `pollInterval` until both are
/// done. `show` gets the two states each time.
func watchTwoDownloads(
    _ page1: String, _ page2: String, on pool: ThreadPoolExecutor, every pollInterval: Duration,
    show: (String, String) -> Void
) throws {
    // snippet: poll
    let first = try pool.submit { try fetch(page1) }
    let second = try pool.submit { try fetch(page2) }
    while !(first.isDone && second.isDone) {
        show(stateName(first), stateName(second))
        pause(pollInterval)
    }
    show(stateName(first), stateName(second))
    // snippet end
    _ = try (first.result(), second.result())
}

/// What section 3 measured.
struct OverlapRun {
    var ownDownload: Duration
    var firstWait: Duration
    var secondWait: Duration
    var sameValue: Bool
    var bytes: Int
}

/// Section 3: a worker fetches `page3` while the calling thread fetches `slowPage` itself;
/// then `result()`, twice. `mainRow` notes the calling thread's own download for the timeline.
func overlapOwnWork(page3: String, slowPage: String, on pool: ThreadPoolExecutor, mainRow: SpanRecorder) throws -> OverlapRun {
    // snippet: overlap
    let future = try pool.submit(label: "3") { try fetch(page3) }
    let mine = try mainRow.record("own") { try fetch(slowPage) }     // the main thread's own work
    let (page, firstWait) = try Stopwatch.measure { try future.result() }   // done by now
    let (again, secondWait) = try Stopwatch.measure { try future.result() } // the same value
    // snippet end
    _ = mine
    return OverlapRun(ownDownload: mainRow.spans.last!.runTime, firstWait: firstWait, secondWait: secondWait, sameValue: page == again, bytes: page.body.count)
}

/// Section 4: a download whose server answers 503, asked for its result twice. `report` gets
/// the attempt and what happened.
func askTwice(_ brokenPage: String, on pool: ThreadPoolExecutor, report: (Int, String) -> Void) throws -> Future<HTTPResponse> {
    // snippet: error
    let future = try pool.submit { try fetch(brokenPage) }
    for attempt in 1...2 {
        do {
            let page = try future.result()
            report(attempt, "returned \(page.body.count) bytes")
        } catch let error as HTTPClientError {
            report(attempt, "threw HTTPClientError: \(error)")
        }
    }
    // snippet end
    return future
}
