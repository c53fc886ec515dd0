// The code lesson 10 shows, as it runs: each snippet between `// snippet: name` and
// `// snippet end` is printed by the lesson from this file.

import ConcurrentFutures
import LessonSupport
import SystemPlatform  // threadCount, currentThreadName

/// An error that a real program might throw halfway through using a pool.
struct ValidationError: Error, CustomStringConvertible {
    var description: String { "ValidationError: the batch is not worth finishing" }
}

/// Section 1: four downloads on a scoped pool, then an error before any result is read.
/// `finished` counts the downloads done; `threadsInside` hears how many threads the process
/// had while the pool was busy.
func submitThenThrow(_ urls: [String], finished: LockedValue<Int>, threadsInside: (Int) -> Void) throws {
    // snippet: scoped
    try withThreadPool(maxWorkers: 4) { pool in
        for url in urls {
            try pool.submit {
                _ = try fetch(url)
                finished.withLock { $0 += 1 }
            }
        }
        waitUntil { pool.statistics.liveWorkers == 4 }
        threadsInside(threadCount())      // the threads of this process, right now
        throw ValidationError()
    }
    // snippet end
}

/// Section 2: a pool shut down by hand without waiting; then a submit that comes too late.
func shutDownWithoutWaiting(_ urls: [String], report: (String) -> Void, refused: (any Error) -> Void) throws {
    // snippet: manual
    let pool = try ThreadPoolExecutor(maxWorkers: 4)
    let futures = try urls.map { url in try pool.submit { try fetch(url) } }
    pool.shutdown(wait: false)
    report("shutdown(wait: false) returned")
    _ = try wait(futures)              // they all still finish
    report("all \(futures.count) downloads finished")
    do {
        try pool.submit { 42 }
    } catch {
        refused(error)                 // ShutdownError
    }
    // snippet end
}

/// A little CPU work: the kind of tiny task whose cost is dwarfed by starting a thread.
func checksum(_ seed: Int) -> Int {
    var value = seed
    for _ in 0..<200 { value = (value &* 31 &+ 7) % 1_000_003 }
    return value
}

/// Collects the names of the workers that started tasks.
final class WorkerNames: Sendable {
    private let names = LockedValue(Set<String>())
    @Sendable func record(_ event: TaskEvent) {
        if case .started(let worker) = event.kind { names.withLock { _ = $0.insert(worker) } }
    }
    var count: Int { names.withLock { $0.count } }
}

/// Section 3: a new pool for every batch.
func poolPerBatch(_ batches: [[Int]], names: WorkerNames) throws {
    // snippet: pool-per-batch
    for batch in batches {                 // a new pool for every batch
        try withThreadPool(maxWorkers: 4, observer: names.record) { pool in
            _ = try Array(pool.map(batch, checksum))
        }
    }
    // snippet end
}

/// Section 3: one pool for all the batches.
func onePoolForAll(_ batches: [[Int]], names: WorkerNames) throws {
    // snippet: one-pool
    try withThreadPool(maxWorkers: 4, observer: names.record) { pool in
        for batch in batches {             // one pool for every batch
            _ = try Array(pool.map(batch, checksum))
        }
    }
    // snippet end
}

/// Section 4: a pool with the default size, first given tasks one at a time, then a burst.
func growDefaultPool(_ urls: [String], report: (String, Int) -> Void) throws {
    // snippet: default-size
    let pool = try ThreadPoolExecutor()    // up to ThreadPoolExecutor.defaultMaxWorkers threads
    for number in 0..<3 {
        _ = try pool.submit { checksum(number) }.result()
    }
    report("threads after 3 tasks, one after another", pool.statistics.liveWorkers)
    let burst = try urls.map { url in try pool.submit { try fetch(url) } }
    _ = try wait(burst)
    report("threads after \(urls.count) downloads at once", pool.statistics.liveWorkers)
    pool.shutdown()
    // snippet end
}

/// Section 5: the name a task's worker has, as the pool and as the system see it.
func workerNames(prefix: String) throws -> (pool: String?, system: String) {
    // snippet: names
    let names = try withThreadPool(maxWorkers: 1, threadNamePrefix: prefix) { pool in
        try pool.submit { (ThreadPoolExecutor.currentWorkerName, currentThreadName()) }.result()
    }
    // snippet end
    return names
}

/// Why the settings could not be read.
struct SettingsError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot read the settings at \(path): \(reason)" }
}

/// What the initializer does: read the settings, note which thread did.
func loadSettings(_ path: String, log: LockedValue<[String]>) throws {
    let bytes: [UInt8]
    do { bytes = try readFile(path) } catch { throw SettingsError(path: path, reason: "\(error)") }
    let worker = ThreadPoolExecutor.currentWorkerName ?? "?"
    log.withLock { $0.append("\(worker) read \(bytes.count) bytes of settings") }
}

/// Section 6: a pool whose threads each load the settings before their first task.
func downloadWithSettings(_ urls: [String], settingsPath: String, log: LockedValue<[String]>) throws {
    // snippet: initializer
    try withThreadPool(maxWorkers: 3, threadNamePrefix: "worker",
                       initializer: { try loadSettings(settingsPath, log: log) }) { pool in
        _ = try Array(pool.map(urls, fetch))
    }
    // snippet end
}

/// Section 7: the same pool when the settings file is gone. `report` gets the error of the first
/// task, then what a later `submit` threw.
func useBrokenPool(_ url: String, settingsPath: String, log: LockedValue<[String]>, report: (String, String) -> Void) throws {
    // snippet: broken
    let pool = try ThreadPoolExecutor(maxWorkers: 2,
                                      initializer: { try loadSettings(settingsPath, log: log) })
    let doomed = try pool.submit { try fetch(url) }
    do {
        _ = try doomed.result()
    } catch let error as any BrokenExecutor {
        report("the first task's result() threw", "\(error)")
    }
    do {
        try pool.submit { 1 }
    } catch {
        report("a later submit threw", "\(type(of: error))")
    }
    pool.shutdown()
    // snippet end
}
