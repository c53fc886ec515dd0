// Lesson 15 — Futures and async/await
//
// Futures and pools on one side, Swift's async/await on the other: awaiting a future without
// blocking a thread (`await future.value`), the same downloads with a `TaskGroup` (and why
// blocking calls inside one are slow), the same computation both ways, what cancelling the
// awaiting Task does to the future, and when each tool fits.
//
//   swift run lesson15            normal speed (about 4 s)
//   swift run lesson15 --fast     delays divided by 10, less computation
//   swift run lesson15 --help

import ConcurrentFutures
import SystemPlatform
import LessonSupport

let info = LessonInfo(
    number: 15, title: "Futures and async/await",
    summary: "await future.value versus result(), downloads with a TaskGroup (blocking and bridged to a\n"
        + "pool), computation both ways, and what cancelling an awaiting Task does to a future.")
let options = LessonOptions.parseOrExit(info)
let pageDelay = options.scaled(.milliseconds(300))

// MARK: - The code the lesson runs

/// Downloads one page: a blocking call, so the calling thread waits on the socket.
func fetch(_ url: String) throws -> Int {
    try HTTPClient.get(url, timeout: .seconds(10)).ensureSuccess().body.count
}

/// Counts the primes in `range` by trial division: pure CPU work.
func countPrimes(in range: Range<Int>) -> Int {
    var count = 0
    for candidate in range where candidate >= 2 {
        var divisor = 2
        var isPrime = true
        while divisor * divisor <= candidate {
            if candidate % divisor == 0 { isPrime = false; break }
            divisor += 1
        }
        if isPrime { count += 1 }
    }
    return count
}

/// The state of a future, in Python's words.
func stateName<Value>(_ future: Future<Value>) -> String {
    if future.isCancelled { return "cancelled" }
    if future.isRunning { return "running" }
    if future.isDone { return "finished" }
    return "pending"
}

/// Records which thread ran what, for tasks that are not on a thread pool (a TaskGroup's
/// children run on the threads Swift keeps for async code). Rows are named "thread 1", ...
final class ThreadSpans: Sendable {
    private let state = LockedValue<(threads: [UInt: Int], spans: [TimelineSpan])>(([:], []))
    let start = ContinuousClock.now

    /// Runs `body` on the calling thread and records its span, labelled `label`.
    func record<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        let begun = ContinuousClock.now
        let value = try body()
        let ended = ContinuousClock.now
        let thread = UInt(bitPattern: Int(bitPattern: pthread_self()))
        state.withLock { state in
            let number = state.threads[thread] ?? (state.threads.count + 1)
            state.threads[thread] = number
            state.spans.append(TimelineSpan(
                worker: "thread \(number)", label: label, submitted: start, started: begun, finished: ended))
        }
        return value
    }

    var spans: [TimelineSpan] { state.withLock { $0.spans } }
}

/// The async face of a pool-based function: the future's work is cancelled too when the
/// awaiting Task is cancelled before it starts.
func fetchCancellably(_ url: String, on pool: ThreadPoolExecutor) async throws -> Int {
    let future = try pool.submit { try fetch(url) }
    return try await withTaskCancellationHandler {
        try await future.value
    } onCancel: {
        future.cancel()
    }
}

/// Ten downloads in a task group whose children call the blocking `fetch` themselves.
func downloadInGroupBlocking(_ urls: [String], spans: ThreadSpans) async throws -> Int {
    try await withThrowingTaskGroup(of: Int.self) { group in
        for (index, url) in urls.enumerated() {
            group.addTask { try spans.record("\(index)") { try fetch(url) } }
        }
        var total = 0
        for try await size in group { total += size }
        return total
    }
}

/// The same downloads in a task group whose children hand the download to a thread pool and
/// await its future.
func downloadInGroupOnPool(_ urls: [String], observer: @escaping @Sendable (TaskEvent) -> Void) async throws -> Int {
    try await withThreadPool(maxWorkers: 10, threadNamePrefix: "worker", observer: observer) { pool in
        try await withThrowingTaskGroup(of: Int.self) { group in
            for url in urls {
                group.addTask { try await pool.submit { try fetch(url) }.value }
            }
            var total = 0
            for try await size in group { total += size }
            return total
        }
    }
}

/// Prime counting in a task group: one child per piece.
func countPrimesInGroup(_ pieces: [Range<Int>]) async -> Int {
    await withTaskGroup(of: Int.self) { group in
        for piece in pieces { group.addTask { countPrimes(in: piece) } }
        var total = 0
        for await count in group { total += count }
        return total
    }
}

/// A pool of 1 kept busy for `busyTime`, download `url` queued behind it, and a Task awaiting
/// that download, cancelled after `patience`. Returns how the Task ended and the future's state
/// right after the cancel and at the end.
func cancelTheAwaitingTask(url: String, busyTime: Duration, patience: Duration) async throws -> (task: String, rightAfter: String, atTheEnd: String) {
    try await withThreadPool(maxWorkers: 1) { pool in
        try pool.submit { pause(busyTime) }  // keeps the only worker busy
        let futureB = try pool.submit { try fetch(url) }
        let waiter = Task { try await futureB.value }
        try await Task.sleep(for: patience)
        let clock = Stopwatch()
        waiter.cancel()
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

/// The same, with a Task that calls `fetchCancellably`. Returns how the Task ended and the
/// pool's statistics once it is shut down.
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

/// Sleeps the calling thread (only used to hold a worker busy).
func pause(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

// MARK: - The lesson

lesson(info)
say("""
    Swift has two ways to run things concurrently. This workbook's way: pools of threads, and \
    futures as receipts for their results. And the language's own: `async` functions, `await`, \
    tasks and task groups, run on a small set of threads that Swift manages. They meet in one \
    property, `future.value`, which lets async code await a future without blocking a thread.
    """)
let server = try LocalHTTPServer(configuration: .init(pageSize: 2_048, pageDelay: pageDelay))
print()
say("Pages come from the lesson's server at \(server.baseURL), \(pageDelay.readable) each.")

section("1. await future.value: waiting without blocking")
say("""
    `result()` blocks: the calling thread sleeps until the future is done. On the main thread of \
    an app that freezes everything else the main thread does. `await future.value` suspends the \
    calling code instead, and the thread is free to do other work meanwhile. To see the \
    difference, a small Task on the main actor ticks every \(options.scaled(.milliseconds(20)).readable), \
    like an animation would, while the main code waits for a download, once each way.
    """)
code(
    swift: """
        let future = try pool.submit { try fetch(url) }
        let size = try future.result()      // blocks
        let size = try await future.value   // suspends
        """,
    python: """
        future = ex.submit(fetch, url)
        size = future.result()              # blocks
        size = await asyncio.wrap_future(future)
        """)
var ticks = 0
let heartbeat = Task { @MainActor in
    while !Task.isCancelled {
        ticks += 1
        try? await Task.sleep(for: options.scaled(.milliseconds(20)))
    }
}
try await Task.sleep(for: .milliseconds(5))  // let the heartbeat start
let firstPool = try ThreadPoolExecutor(maxWorkers: 2)
let first = try firstPool.submit { try fetch(server.url("/page/1")) }
let ticksBeforeBlocking = ticks
_ = try first.result()
let blockingTicks = ticks - ticksBeforeBlocking
let second = try firstPool.submit { try fetch(server.url("/page/2")) }
let ticksBeforeAwaiting = ticks
_ = try await second.value
let awaitingTicks = ticks - ticksBeforeAwaiting
firstPool.shutdown()
heartbeat.cancel()
result("ticks while the main thread blocked in result()", "\(blockingTicks)")
result("ticks while the main code awaited future.value", "\(awaitingTicks)")
say("""
    Same download, same wait. While `result()` held the main thread, the heartbeat could not run \
    at all; while the code awaited `value`, the main actor was free and the heartbeat kept \
    ticking. The download itself ran on a pool thread both times: `value` changes how you wait, \
    not where the work runs.
    """)

section("2. The same downloads with a TaskGroup")
say("""
    A `TaskGroup` runs child tasks concurrently and collects their results: structured \
    concurrency, Swift's counterpart of submitting to a pool and waiting for all. But child \
    tasks run on Swift's own small pool of threads, about one per core, which expects tasks to \
    suspend rather than block. Here are 10 downloads with a group whose children call the \
    blocking `fetch` directly, then with children that hand the download to a thread pool and \
    await its future.
    """)
code(
    swift: """
        try await withThrowingTaskGroup(of: Int.self) { group in
            for url in urls {
                group.addTask { try fetch(url) }          // blocks
            }
            ...
        }
        try await withThrowingTaskGroup(of: Int.self) { group in
            for url in urls {
                group.addTask {
                    try await pool.submit { try fetch(url) }.value
                }
            }
            ...
        }
        """,
    python: """
        async with asyncio.TaskGroup() as group:
            for url in urls:
                group.create_task(
                    asyncio.to_thread(fetch, url))
        """)
let urls = server.pageURLs(count: 10)
server.resetStatistics()
let blockingSpans = ThreadSpans()
let (blockingSizes, blockingTime) = try await measureAsync {
    try await downloadInGroupBlocking(urls, spans: blockingSpans)
}
let blockingPeak = server.statistics.peakConcurrentRequests
server.resetStatistics()
let bridgedRecorder = TaskEventRecorder()
let (bridgedSizes, bridgedTime) = try await measureAsync {
    try await downloadInGroupOnPool(urls, observer: bridgedRecorder.record)
}
let bridgedPeak = server.statistics.peakConcurrentRequests
result("children block in fetch", "\(blockingTime.readable), at most \(blockingPeak) requests at once")
result("children await pool futures", "\(bridgedTime.readable), at most \(bridgedPeak) requests at once")
result("same bytes", blockingSizes == bridgedSizes ? "yes, \(bridgedSizes)" : "NO")
Timeline.print([
    TimelineSection("TaskGroup, blocking calls", spans: blockingSpans.spans),
    TimelineSection("TaskGroup awaiting a pool of 10", spans: TimelineSpan.spans(from: bridgedRecorder.events)),
])
if blockingPeak < urls.count {
    say("""
        With blocking children, only \(blockingPeak) downloads ran at once: each one held one of \
        Swift's few task threads for its whole wait, and the other children queued behind them. \
        With children that await a future, the threads that wait are the pool's, the task \
        threads stay free, and all \(urls.count) downloads overlap. Never block Swift's task \
        threads on I/O: hand blocking work to a pool and await it.
        """)
} else {
    say("""
        This machine has enough cores that Swift kept a task thread for every download, so the \
        blocking children did not queue this time. With more downloads than cores they would: \
        each blocking child holds one of Swift's task threads for its whole wait. Never block \
        Swift's task threads on I/O: hand blocking work to a pool and await it.
        """)
}

section("3. Computation: either way")
let pieceSize = options.fast ? 2_000 : 12_000
let pieces = (0..<16).map { ($0 * pieceSize)..<(($0 + 1) * pieceSize) }
say("""
    CPU work is different: it does not wait, it computes, and one thread per core is the right \
    number. Swift's task threads are exactly that, so a `TaskGroup` is as good as a thread pool \
    sized to the cores. Prime counting in 16 pieces, both ways:
    """)
let cores = ProcessPoolExecutor.defaultMaxWorkers
let (groupCount, groupTime) = await measureAsync {
    await countPrimesInGroup(pieces)
}
let (poolCount, poolTime) = try Stopwatch.measure {
    try withThreadPool(maxWorkers: cores) { pool in
        try Array(pool.map(pieces, countPrimes(in:))).reduce(0, +)
    }
}
result("TaskGroup", "\(groupTime.readable), \(groupCount) primes")
result("thread pool of \(cores)", "\(poolTime.readable), \(poolCount) primes")
note("The two times are close; which one wins changes from run to run on a busy machine.")

section("4. Cancelling the Task that awaits a future")
say("""
    Swift tasks can be cancelled: `task.cancel()`. What happens to a future the task was \
    awaiting? The await ends at once with `CancellationError`, but the future is left alone: \
    other code may be waiting for the same future, so one impatient waiter must not take it \
    away from the others. (Python's `asyncio.wrap_future` cancels the future too.) Below, a pool \
    of 1 is busy, download B waits in its queue, and a Task awaiting B is cancelled.
    """)
code(
    swift: """
        let waiter = Task { try await futureB.value }
        waiter.cancel()
        """,
    python: """
        waiter = asyncio.ensure_future(
            asyncio.wrap_future(future_b))
        waiter.cancel()
        """)
let busyTime = options.scaled(.milliseconds(400))
let leftAlone = try await cancelTheAwaitingTask(
    url: server.url("/page/3"), busyTime: busyTime, patience: options.scaled(.milliseconds(50)))
result("the awaiting Task", leftAlone.0)
result("future B right after the cancel", leftAlone.1)
result("future B later", "\(leftAlone.2): it ran anyway")
say("""
    When the future exists only for the Task that awaits it, stopping the work is your job: \
    cancel the future from a cancellation handler. This is how to give a pool-based function \
    an async face:
    """)
code(
    swift: """
        func fetchCancellably(_ url: String,
                on pool: ThreadPoolExecutor) async throws -> Int {
            let future = try pool.submit { try fetch(url) }
            return try await withTaskCancellationHandler {
                try await future.value
            } onCancel: {
                future.cancel()
            }
        }
        """,
    python: """
        async def fetch_cancellably(url, ex):
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                ex, fetch, url)
        """)
let handled = try await cancelWithHandler(
    url: server.url("/page/4"), busyTime: busyTime, patience: options.scaled(.milliseconds(50)))
result("the awaiting Task", handled.0)
result("the pool's statistics", "completed \(handled.1.completed), cancelled \(handled.1.cancelled)")
say("""
    This time the queued download was cancelled with the Task and never ran: the pool completed \
    only the task that kept it busy. (A download already running would still finish: `cancel()` \
    only stops queued work, lesson 09.)
    """)

section("5. Which one when?")
bullets([
    "Blocking APIs (files, blocking sockets, C libraries, `Process`): a thread pool. From async code, await its futures; never call them straight from a task.",
    "Code that is already async (async APIs, actors, a UI): `async`/`await` and task groups. Children cannot outlive their group, and cancellation flows down to them.",
    "CPU-bound work: either. A task group uses Swift's one-thread-per-core pool; a thread pool of `cores` workers does the same and can be named, observed and limited on its own.",
    "A hard limit on concurrency (at most 4 requests to that server): a pool of 4 is the simplest way to say it.",
    "Waiting for many results without blocking: `await future.value` in a task group, or `asCompleted` and `wait` on a thread that may block.",
])

server.stop()
print()
say("""
    That was the last lesson. The exercises are where it sticks: `swift run workbook` lists \
    them all and shows which ones you have solved.
    """)

takeaways([
    "`try await future.value` waits for a future without blocking a thread (Python: `await asyncio.wrap_future(f)`); `result()` blocks.",
    "Task-group children run on Swift's few task threads: a blocking call in one holds a thread, and the rest queue behind it.",
    "For blocking work from async code, submit it to a thread pool and await the future.",
    "Cancelling a Task that awaits a future ends the await with `CancellationError` and leaves the future alone; cancel the future in `withTaskCancellationHandler` if nobody else needs it.",
    "Pools and futures for blocking work and explicit limits; async/await and task groups for async code and structured lifetimes.",
])
exercise(
    command: "swift run workbook check 15a",
    description: "Wrap a pool-based function in an async API: callers await it without blocking, and cancelling them stops work that has not started.")
nextStep(command: "swift run workbook")
