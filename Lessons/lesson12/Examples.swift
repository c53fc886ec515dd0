// The code lesson 12 shows, as it runs: each snippet between `// snippet: name` and
// `// snippet end` is printed by the lesson from this file.

import ConcurrentFutures
import LessonSupport

/// A tiny computation, registered so that a process pool can run it (section 1).
enum Square: ProcessTask {
    static func run(_ x: Int) -> Int { x * x }
}

// MARK: 1. The wrong executor

/// Section 1: one call per number on a process pool of 2.
func squaresInProcesses(_ numbers: [Int]) throws -> [Int] {
    // snippet: process-squares
    let squares = try withProcessPool(tasks: [Square.self], maxWorkers: 2,
                                      workerOutput: .discard) { pool in
        try Array(pool.map(Square.self, numbers))
    }
    // snippet end
    return squares
}

/// Section 1: the same in chunks of `chunk` numbers per call.
func squaresInProcessChunks(_ numbers: [Int], chunk: Int) throws -> [Int] {
    // snippet: chunked-squares
    let squares = try withProcessPool(tasks: [Square.self], maxWorkers: 2,
                                      workerOutput: .discard) { pool in
        try Array(pool.map(Square.self, numbers, chunkSize: chunk))
    }
    // snippet end
    return squares
}

/// Section 1: the same on a thread pool of 2.
func squaresOnThreads(_ numbers: [Int]) throws -> [Int] {
    // snippet: thread-squares
    let squares = try withThreadPool(maxWorkers: 2) { pool in
        try Array(pool.map(numbers) { $0 * $0 })
    }
    // snippet end
    return squares
}

// MARK: 2. Too many workers

/// Section 2: the prime counting of every piece on a pool of `workers` threads.
func countPrimes(of pieces: [Range<Int>], workers: Int) throws -> [Int] {
    // snippet: workers
    let counts = try withThreadPool(maxWorkers: workers) { pool in
        try Array(pool.map(pieces, countPrimes(in:)))
    }
    // snippet end
    return counts
}

// MARK: 3. Deadlock

/// A quick digest of some bytes: the "parse" stage of the pipeline.
func digest(_ bytes: [UInt8]) -> Int {
    bytes.reduce(17) { ($0 &* 31 &+ Int($1)) & 0xFFFF_FFFF }
}

// snippet: fetch-and-parse
/// Stage one of the pipeline: download, then hand the parsing to `pool` and wait for it.
func fetchAndParse(_ url: String, pool: ThreadPoolExecutor, label: String) throws -> Int {
    let page = try fetch(url)
    let parse = try pool.submit(label: "P" + label) { digest(page.body) }
    return try parse.result()    // no timeout: the pool can tell when this wait never ends
}
// snippet end

/// Section 3: both stages on one pool of 2, named "pipeline".
func onePoolPipeline(_ urls: [String], recorder: TaskEventRecorder) throws -> (pool: ThreadPoolExecutor, futures: [Future<Int>]) {
    // snippet: one-pool
    let pool = try ThreadPoolExecutor(maxWorkers: 2, threadNamePrefix: "pipeline",
                                      observer: recorder.record)
    let futures = try urls.enumerated().map { index, url in
        try pool.submit(label: "F\(index)") {
            try fetchAndParse(url, pool: pool, label: "\(index)")
        }
    }
    // snippet end
    return (pool, futures)
}

/// Section 3, the fix: a pool per stage.
func poolPerStagePipeline(_ urls: [String], fetchRecorder: TaskEventRecorder, parseRecorder: TaskEventRecorder) throws -> [Int] {
    // snippet: two-pools
    let digests = try withThreadPool(maxWorkers: 2, threadNamePrefix: "parser",
                                     observer: parseRecorder.record) { parsePool in
        try withThreadPool(maxWorkers: 2, threadNamePrefix: "fetcher",
                           observer: fetchRecorder.record) { fetchPool in
            let futures = try urls.enumerated().map { index, url in
                try fetchPool.submit(label: "F\(index)") {
                    try fetchAndParse(url, pool: parsePool, label: "\(index)")
                }
            }
            return try futures.map { try $0.result() }
        }
    }
    // snippet end
    return digests
}

// MARK: 4. Shared mutable state

#if false  // Swift 6 refuses to compile this on purpose: it is what section 4 shows.
// snippet: racy-total
func totalBytes(of pages: [[UInt8]]) throws -> Int {
    var total = 0
    try withThreadPool(maxWorkers: 4) { pool in
        for page in pages {
            try pool.submit { total += page.count }
        }
    }
    return total
}
// snippet end
#endif

/// What the compiler says about `racy-total` when it is compiled as RacyTotal.swift. The
/// tests (SnippetTests) compile the snippet and check that the compiler still says this.
let racyTotalDiagnostic = "RacyTotal.swift:5:31: error: mutation of captured var 'total' in concurrently-executing code"

/// The counter with the safety check switched off, for this demonstration only.
nonisolated(unsafe) var unprotectedCounter = 0

func incrementUnprotected(times: Int) {
    for _ in 0..<times { unprotectedCounter += 1 }
}

func incrementLocked(_ counter: LockedValue<Int>, times: Int) {
    for _ in 0..<times { counter.withLock { $0 += 1 } }
}

func countLocally(times: Int) -> Int {
    var local = 0
    for _ in 0..<times { local += 1 }
    return local
}

/// Section 4, the fixes: a locked total, and no shared total at all.
func totalBytesSafely(of pages: [[UInt8]]) throws -> (locked: Int, shared: Int) {
    // snippet: safe-total
    let total = LockedValue(0)
    try withThreadPool(maxWorkers: 4) { pool in
        for page in pages {
            try pool.submit { total.withLock { $0 += page.count } }
        }
    }

    // better: share nothing
    let sizes = try withThreadPool(maxWorkers: 4) { pool in
        try Array(pool.map(pages) { $0.count })
    }
    let sum = sizes.reduce(0, +)
    // snippet end
    return (total.withLock { $0 }, sum)
}

// MARK: 5. An error nobody looked at

/// "Uploads" a report: a request to the server, which refuses report 2.
func upload(_ report: Int, base: String) throws {
    _ = try fetch("\(base)/page/\(report)?delay=0" + (report == 2 ? "&status=500" : ""))
}

/// Section 5: three uploads whose futures are dropped.
func fireAndForget(_ reports: [Int], base: String) throws {
    // snippet: forget
    try withThreadPool(maxWorkers: 3, threadNamePrefix: "uploader") { pool in
        for report in reports {
            try pool.submit { try upload(report, base: base) }    // future ignored
        }
    }
    // snippet end
}

/// Section 5, the fix: keep every future and look at each outcome.
func uploadAndCheck(_ reports: [Int], base: String, outcome: (Int, (any Error)?) -> Void) throws {
    // snippet: keep-futures
    try withThreadPool(maxWorkers: 3, threadNamePrefix: "uploader") { pool in
        let uploads = try reports.map { report in
            (report, try pool.submit { try upload(report, base: base) })
        }
        for (report, future) in uploads {
            outcome(report, try future.exception())
        }
    }
    // snippet end
}

// MARK: 6. Forgetting to shut down

/// Pools that were made and never shut down, kept somewhere long-lived.
let keptPools = LockedValue<[ThreadPoolExecutor]>([])
/// The sizes of the pages the forgotten pool downloaded.
let downloadedPages = LockedValue<[Int]>([])

/// Section 6: a helper that starts downloads in the background and forgets its pool.
func startDownloads(_ urls: [String]) throws {
    // snippet: forgotten
    let pool = try ThreadPoolExecutor(maxWorkers: 4, threadNamePrefix: "forgotten")
    keptPools.withLock { $0.append(pool) }
    for url in urls {
        try pool.submit {
            let size = try fetch(url).body.count
            downloadedPages.withLock { $0.append(size) }
        }
    }                       // and returns: no shutdown, no waiting
    // snippet end
}

/// Section 6, the fix: the pool's scope is the call.
func downloadAll(_ urls: [String]) throws -> [Int] {
    try withThreadPool(maxWorkers: 4) { pool in
        try Array(pool.map(urls) { try fetch($0).body.count })
    }
}
