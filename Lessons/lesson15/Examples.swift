// The code lesson 15 shows, as it runs: each snippet between `// snippet: name` and
// `// snippet end` is printed by the lesson from this file.

import ConcurrentFutures
import LessonSupport

/// A Task on the main actor that counts, every `interval`, like an animation would: while it
/// keeps counting, the main thread is free.
@MainActor
final class Heartbeat {
    private(set) var ticks = 0
    private var task: Task<Void, Never>?

    func start(every interval: Duration) {
        task = Task { @MainActor in
            while !Task.isCancelled {
                self.ticks += 1
                try? await Task.sleep(for: interval)
            }
        }
    }

    func stop() {
        task?.cancel()
    }
}

/// Section 1: the same wait, blocking the main thread, then suspending it; how many times the
/// heartbeat ticked during each.
@MainActor
func blockThenAwait(_ url1: String, _ url2: String, on pool: ThreadPoolExecutor, heartbeat: Heartbeat) async throws -> (blocking: Int, awaiting: Int) {
    // snippet: value
    let first = try pool.submit { try fetch(url1) }
    var before = heartbeat.ticks
    _ = try first.result()                 // blocks: the main thread waits
    let whileBlocking = heartbeat.ticks - before

    let second = try pool.submit { try fetch(url2) }
    before = heartbeat.ticks
    _ = try await second.value             // suspends: the main thread is free
    let whileAwaiting = heartbeat.ticks - before
    // snippet end
    return (whileBlocking, whileAwaiting)
}

/// Section 2: ten downloads in a task group whose children call the blocking `fetch`
/// themselves. `threads` notes which thread ran each.
func downloadInGroupBlocking(_ urls: [String], threads: SpanRecorder) async throws -> Int {
    // snippet: group-blocking
    try await withThrowingTaskGroup(of: Int.self) { group in
        for (index, url) in urls.enumerated() {
            group.addTask {
                try threads.recordOnThisThread("\(index)") { try fetch(url).body.count }  // blocks
            }
        }
        return try await group.reduce(0, +)
    }
    // snippet end
}

/// Section 2: the same downloads in a task group whose children hand the download to a thread
/// pool and await its future.
func downloadInGroupOnPool(_ urls: [String], recorder: TaskEventRecorder) async throws -> Int {
    // snippet: group-pool
    try await withThreadPool(maxWorkers: 10, threadNamePrefix: "worker", observer: recorder.record) { pool in
        try await withThrowingTaskGroup(of: Int.self) { group in
            for url in urls {
                group.addTask { try await pool.submit { try fetch(url).body.count }.value }
            }
            return try await group.reduce(0, +)
        }
    }
    // snippet end
}

/// Section 3: prime counting in a task group, one child per piece.
func countPrimesInGroup(_ pieces: [Range<Int>]) async -> Int {
    // snippet: group-primes
    await withTaskGroup(of: Int.self) { group in
        for piece in pieces { group.addTask { countPrimes(in: piece) } }
        return await group.reduce(0, +)
    }
    // snippet end
}

/// Section 3: the same on a thread pool with a worker per core.
func countPrimesOnPool(_ pieces: [Range<Int>], cores: Int) throws -> Int {
    // snippet: pool-primes
    try withThreadPool(maxWorkers: cores) { pool in
        try Array(pool.map(pieces, countPrimes(in:))).reduce(0, +)
    }
    // snippet end
}

/// Section 4: a pool of 1 kept busy for `busyTime`, download `url` queued behind it, and a Task
/// awaiting that download, cancelled after `patience`. Returns how the Task ended and the
/// future's state right after the cancel and at the end.
func cancelTheAwaitingTask(url: String, busyTime: Duration, patience: Duration) async throws -> (task: String, rightAfter: String, atTheEnd: String) {
    try await withThreadPool(maxWorkers: 1) { pool in
        try pool.submit { pause(busyTime) }  // keeps the only worker busy
        // snippet: cancel-waiter
        let futureB = try pool.submit { try fetch(url) }
        let waiter = Task { try await futureB.value }
        try await Task.sleep(for: patience)
        waiter.cancel()
        // snippet end
        let clock = Stopwatch()
        let outcome = await waiter.result
        let afterCancel = clock.elapsed
        let rightAfter = stateName(futureB)
        _ = try await futureB.value  // B still runs, later, for whoever else wants it
        switch outcome {
        case .success: return ("returned a value", rightAfter, stateName(futureB))
        case .failure(let error): return ("threw \(type(of: error)) after \(afterCancel.readable)", rightAfter, stateName(futureB))
        }
    }
}

// snippet: cancellably
/// The async face of a pool-based function: the future is cancelled too when the awaiting Task
/// is cancelled before its work starts.
func fetchCancellably(_ url: String, on pool: ThreadPoolExecutor) async throws -> Int {
    let future = try pool.submit { try fetch(url).body.count }
    return try await withTaskCancellationHandler {
        try await future.value
    } onCancel: {
        future.cancel()
    }
}
// snippet end

/// Section 4: the same, with a Task that calls `fetchCancellably`. Returns how the Task ended
/// and the pool's statistics once it is shut down.
func cancelWithHandler(url: String, busyTime: Duration, patience: Duration) async throws -> (task: String, statistics: ExecutorStatistics) {
    let pool = try ThreadPoolExecutor(maxWorkers: 1)
    try pool.submit { pause(busyTime) }
    let waiter = Task { try await fetchCancellably(url, on: pool) }
    try await Task.sleep(for: patience)
    waiter.cancel()
    let outcome = await waiter.result
    pool.shutdown(wait: true)
    switch outcome {
    case .success: return ("returned a value", pool.statistics)
    case .failure(let error): return ("threw \(type(of: error))", pool.statistics)
    }
}

/// Runs `body` and returns its result with how long it took: `Stopwatch.measure` for async code.
func measureAsync<T>(_ body: () async throws -> T) async rethrows -> (result: T, duration: Duration) {
    let stopwatch = Stopwatch()
    let value = try await body()
    return (value, stopwatch.elapsed)
}
