// The code lesson 01 shows, as it runs: each snippet between `// snippet: name` and
// `// snippet end` is printed by the lesson from this file.

import ConcurrentFutures
import LessonSupport

/// Section 1: the pages one after another on the calling thread. `mainRow.record` notes when
/// each download started and ended, for the timeline.
func downloadOneByOne(_ urls: [String], mainRow: SpanRecorder) throws -> [HTTPResponse] {
    // snippet: one-by-one
    var pages: [HTTPResponse] = []
    for url in urls {
        pages.append(try mainRow.record { try fetch(url) })
    }
    // snippet end
    return pages
}

/// Section 2: the same pages on a pool of `workers` threads, whose observer notes when each
/// task started and ended.
func downloadOnPool(_ urls: [String], workers: Int, recorder: TaskEventRecorder) throws -> [HTTPResponse] {
    // snippet: pool
    let pages = try withThreadPool(maxWorkers: workers, threadNamePrefix: "worker",
                                   observer: recorder.record) { pool in
        try Array(pool.map(urls, fetch))
    }
    // snippet end
    return pages
}
