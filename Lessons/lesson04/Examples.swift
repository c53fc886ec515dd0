// The code lesson 04 shows, as it runs: each snippet between `// snippet: name` and
// `// snippet end` is printed by the lesson from this file.

import ConcurrentFutures
import LessonSupport

/// What the main thread does with each page it receives: a follow-up request to the server
/// (think: fetch the page's details) that takes `handlingTime`. Each handling is noted on the
/// `main` row of the timeline.
struct PageHandler {
    var base: String
    var handlingTime: Duration
    let mainRow = SpanRecorder()

    func handle(_ page: HTTPResponse, number: Int) throws {
        try mainRow.record("\(number)") {
            _ = try fetch("\(base)/page/\(number)?size=64&delay=\(Int(handlingTime.inMilliseconds))")
        }
    }
}

/// Section 1: one download per URL, handled in submission order.
func handleInSubmissionOrder(_ urls: [String], on pool: ThreadPoolExecutor, handler: PageHandler) throws {
    // snippet: submission-order
    let futures = try urls.map { url in
        try pool.submit { try fetch(url) }
    }
    for (number, future) in futures.enumerated() {
        let page = try future.result()
        try handler.handle(page, number: number)
    }
    // snippet end
}

/// Section 2: the same downloads, handled in completion order.
func handleInCompletionOrder(_ urls: [String], on pool: ThreadPoolExecutor, handler: PageHandler) throws {
    // snippet: completion-order
    var numberOf: [Future<HTTPResponse>: Int] = [:]
    for (number, url) in urls.enumerated() {
        numberOf[try pool.submit { try fetch(url) }] = number
    }
    let completed = try asCompleted(numberOf.keys)
    while let future = try completed.next() {
        let page = try future.result()
        try handler.handle(page, number: numberOf[future]!)
    }
    // snippet end
}

/// Section 4: each result, or each error, with the path it came from.
func fetchEachWithItsPath(_ paths: [String], base: String, on pool: ThreadPoolExecutor, report: (String, String) -> Void) throws {
    // snippet: dictionary
    let pathOf = Dictionary(uniqueKeysWithValues: try paths.map { path in
        (try pool.submit { try fetch(base + path) }, path)
    })
    for future in try Array(asCompleted(pathOf.keys)) {
        do {
            let page = try future.result()
            report(pathOf[future]!, "\(page.body.count) bytes")
        } catch {
            report(pathOf[future]!, "failed: \(error)")
        }
    }
    // snippet end
}

/// Section 5: one deadline for the whole loop. `arrived` gets each page number in time; the
/// `TimeoutError` is returned, if there was one.
func collectUntil(
    _ loopTimeout: Duration, numberOf: [Future<HTTPResponse>: Int], arrived: (Int) -> Void
) throws -> TimeoutError? {
    // snippet: timeout
    let completed = try asCompleted(numberOf.keys, timeout: loopTimeout)
    do {
        while let future = try completed.next() {
            _ = try future.result()
            arrived(numberOf[future]!)
        }
    } catch let error as TimeoutError {
        return error
    }
    // snippet end
    return nil
}
