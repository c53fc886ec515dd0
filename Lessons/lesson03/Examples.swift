// The code lesson 03 shows, as it runs: each snippet between `// snippet: name` and
// `// snippet end` is printed by the lesson from this file.

import ConcurrentFutures
import LessonSupport

/// Section 1: map over the pages; `mainRow` notes how long each `next()` waited, and
/// `deliver` gets each page the moment `next()` returns it.
func mapInOrder(_ urls: [String], on pool: ThreadPoolExecutor, mainRow: SpanRecorder, deliver: (Int, HTTPResponse) -> Void) throws {
    // snippet: in-order
    let results = try pool.map(urls) { url in try fetch(url) }
    var index = 0
    while true {
        let page = try mainRow.record("\(index)") { try results.next() }   // waits here
        guard let page else { break }
        deliver(index, page)
        index += 1
    }
    // snippet end
}

/// Section 3: two inputs, paired with `zip`.
func bodyLengths(base: String, on pool: ThreadPoolExecutor) throws -> [Int] {
    // snippet: zip
    let pages = [1, 2, 3, 4]
    let sizes = [500, 3_000, 12_000]
    let lengths = try Array(pool.map(zip(pages, sizes)) { page, size in
        try fetch("\(base)/page/\(page)?size=\(size)").body.count
    })
    // snippet end
    return lengths
}

/// Section 4: map with one deadline for the whole iteration. `deliver` gets each page handed
/// out; the `TimeoutError` is returned, if there was one.
func mapWithTimeout(
    _ urls: [String], timeout mapTimeout: Duration, on pool: ThreadPoolExecutor, deliver: (HTTPResponse) -> Void
) throws -> TimeoutError? {
    // snippet: timeout
    let results = try pool.map(urls, timeout: mapTimeout) { url in try fetch(url) }
    do {
        while let page = try results.next() {
            deliver(page)
        }
    } catch let error as TimeoutError {
        return error
    }
    // snippet end
    return nil
}

/// A tiny piece of real CPU work: a few rounds of integer mixing.
func checksum(_ number: Int) -> Int {
    var value = UInt64(truncatingIfNeeded: number) &+ 0x9E37_79B9_7F4A_7C15
    for _ in 0..<8 { value = (value ^ (value >> 31)) &* 0xBF58_476D_1CE4_E5B9 }
    return Int(truncatingIfNeeded: value >> 1)
}

/// Section 5: `count` tiny calculations, `chunkSize` per task.
func checksums(count: Int, chunkSize: Int, on pool: ThreadPoolExecutor) throws -> [Int] {
    // snippet: chunks
    let values = try Array(pool.map(0..<count, chunkSize: chunkSize) { n in checksum(n) })
    // snippet end
    return values
}

/// Section 6: an endless input with a read-ahead of 4; `report` is told, twice, how many
/// numbers `map` has read so far.
func mapEndlessInput(base: String, on pool: ThreadPoolExecutor, report: (String, Int) -> Void) throws {
    let pulled = LockedValue(0)
    // snippet: buffer
    let numbers = (0...).lazy.map { n in pulled.withLock { $0 += 1 }; return n }  // counts reads
    let results = try pool.map(numbers, bufferSize: 4) { number in
        try fetch("\(base)/page/\(number)").body.count
    }
    report("when map returned", pulled.withLock { $0 })
    for _ in 0..<8 { _ = try results.next() }
    report("after 8 results", pulled.withLock { $0 })
    // snippet end
}  // `results` is dropped here: what is still queued gets cancelled
