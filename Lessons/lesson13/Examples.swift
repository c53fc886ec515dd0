// The code lesson 13 shows, as it runs: each snippet between `// snippet: name` and
// `// snippet end` is printed by the lesson from this file.

import ConcurrentFutures
import LessonSupport

/// Section 1: downloads on a pool, a progress bar fed by done-callbacks.
func downloadWithProgress(_ urls: [String], on pool: ThreadPoolExecutor) throws -> [Int] {
    // snippet: progress
    let bar = ProgressBar(total: urls.count, title: "downloading")
    let futures = try urls.map { url in
        let future = try pool.submit { try fetch(url).body.count }
        future.addDoneCallback { _ in bar.advance() }
        return future
    }
    let sizes = try futures.map { try $0.result() }
    // snippet end
    bar.finish()
    return sizes
}

/// Section 2: the pool's statistics sampled every `interval` until every future is done.
func sampleStatistics(of pool: ThreadPoolExecutor, while futures: [Future<Int>], every interval: Duration,
                      show: (ExecutorStatistics) -> Void) {
    // snippet: statistics
    while true {
        show(pool.statistics)
        if futures.allSatisfy(\.isDone) { break }
        pause(interval)
    }
    // snippet end
}

/// Section 3: a pool whose observer writes every event to a log file (and to `recorder`).
func downloadWithALog(_ urls: [String], log: LogFile, recorder: TaskEventRecorder) throws {
    // snippet: observer
    try withThreadPool(maxWorkers: 3, threadNamePrefix: "worker", observer: { event in
        log.record(event)
        recorder.record(event)
    }) { pool in
        let futures = try urls.enumerated().map { index, url in
            try pool.submit(label: "page \(index)") { try fetch(url) }
        }
        _ = try wait(futures)
        for future in futures { _ = try future.exception() }    // every outcome looked at
    }
    // snippet end
}

/// Section 4: the access log through `map` in chunks of 100 lines, with at most `bufferSize`
/// chunks ahead of the consumer (or all of them at once); `consume` gets each entry.
func processLog(_ lines: FileLines, bufferSize: Int?, on pool: ThreadPoolExecutor, consume: (LogEntry) -> Void) throws {
    // snippet: buffer
    let entries = try pool.map(lines, chunkSize: 100, bufferSize: bufferSize, parseLogLine)
    while let entry = try entries.next() {
        consume(entry)
    }
    // snippet end
}

/// Section 5: `urls` in fixed-size batches: submit a batch, drain it with `asCompleted`, then
/// the next batch. `handle` gets each page.
func fetchInBatches(_ urls: [String], batchSize: Int, on pool: ThreadPoolExecutor, handle: (HTTPResponse) -> Void) throws {
    // snippet: batches
    for start in stride(from: 0, to: urls.count, by: batchSize) {
        let batch = try urls[start..<min(start + batchSize, urls.count)].map { url in
            try pool.submit { try fetch(url) }
        }
        for future in try Array(asCompleted(batch)) {
            handle(try future.result())
        }
    }
    // snippet end
}

/// Section 5: the same through `map` with a window of `batchSize` tasks in flight.
func fetchInAWindow(_ urls: [String], batchSize: Int, on pool: ThreadPoolExecutor, handle: (HTTPResponse) -> Void) throws {
    // snippet: window
    let pages = try pool.map(urls, bufferSize: batchSize) { url in try fetch(url) }
    while let page = try pages.next() {
        handle(page)
    }
    // snippet end
}
