// The code lesson 08 shows, as it runs: each snippet between `// snippet: name` and
// `// snippet end` is printed by the lesson from this file.

import ConcurrentFutures
import LessonSupport

/// Section 1: a slow download, waited for with a limit, then without. `mainRow` notes both
/// waits; `report` hears what happened.
func waitTwice(for slowURL: String, patience: Duration, on pool: ThreadPoolExecutor, mainRow: SpanRecorder, report: (String, String) -> Void) throws {
    // snippet: result-timeout
    let future = try pool.submit(label: "1") { try fetch(slowURL) }
    do {
        let page = try mainRow.record("timed out") { try future.result(timeout: patience) }
        report("result(timeout:) returned", "\(page.body.count) bytes")
    } catch let error as TimeoutError {
        report("result(timeout:) threw", "\(error); still running: \(future.isRunning)")
    }
    let page = try mainRow.record("result()") { try future.result() }     // no limit
    report("result() returned", "\(page.body.count) bytes")
    // snippet end
}

/// Section 2: the task gives the HTTP client a limit of its own.
func fetchWithItsOwnLimit(_ slowURL: String, limit: Duration, on pool: ThreadPoolExecutor) throws -> Future<HTTPResponse> {
    // snippet: own-limit
    let future = try pool.submit {
        try HTTPClient.get(slowURL, timeout: limit).ensureSuccess()
    }
    // snippet end
    return future
}

/// Section 3: keep the pages that came in time; returns them and the `TimeoutError`, if any.
func keepWhatCameInTime(_ pageOf: [Future<HTTPResponse>: Int], loopTimeout: Duration) throws -> (kept: [Int], error: TimeoutError?) {
    // snippet: as-completed
    var kept: [Int] = []
    do {
        try asCompleted(pageOf.keys, timeout: loopTimeout).forEach { future in
            _ = try future.result()
            kept.append(pageOf[future]!)
        }
    } catch let error as TimeoutError {
        return (kept, error)
    }
    // snippet end
    return (kept, nil)
}

/// Section 4: map with a deadline for the whole iteration; `handOut` gets each page.
func mapUntil(_ mapTimeout: Duration, _ urls: [String], on pool: ThreadPoolExecutor, handOut: (HTTPResponse) -> Void) throws -> TimeoutError? {
    // snippet: map-timeout
    let pages = try pool.map(urls, timeout: mapTimeout) { url in try fetch(url) }
    do {
        while let page = try pages.next() { handOut(page) }
    } catch let error as TimeoutError {
        return error
    }
    // snippet end
    return nil
}

/// Section 5, the classic mistake: the full budget for every wait.
func collectWithTheFullBudgetEach(_ futures: [Future<HTTPResponse>], budget: Duration) throws -> (kept: Int, late: [Future<HTTPResponse>]) {
    var kept = 0
    var late: [Future<HTTPResponse>] = []
    for future in futures {
        do {
            _ = try future.result(timeout: budget)
            kept += 1
        } catch is TimeoutError {
            late.append(future)
        }
    }
    return (kept, late)
}

/// Section 5, the fix: one deadline, and each wait gets the time that is left.
func collectBeforeTheDeadline(_ futures: [Future<HTTPResponse>], budget: Duration) throws -> (kept: Int, late: [Future<HTTPResponse>]) {
    var kept = 0
    var late: [Future<HTTPResponse>] = []
    // snippet: one-deadline
    let deadline = ContinuousClock.now + budget
    for future in futures {
        let remaining = max(.zero, deadline - .now)
        do {
            _ = try future.result(timeout: remaining)
            kept += 1
        } catch is TimeoutError {
            late.append(future)
        }
    }
    // snippet end
    return (kept, late)
}
