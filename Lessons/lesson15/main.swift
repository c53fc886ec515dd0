// Lesson 15 — Futures and async/await
//
// Futures and pools on one side, Swift's async/await on the other: awaiting a future without
// blocking a thread (`await future.value`), the same downloads with a `TaskGroup` (and why
// blocking calls inside one are slow), the same computation both ways, what cancelling the
// awaiting Task does to the future, and when each tool fits. The code it shows is in
// Examples.swift.
//
//   swift run lesson15            normal speed (about 4 s)
//   swift run lesson15 --fast     delays divided by 10, less computation
//   swift run lesson15 --step     pause after each section (presenter mode)
//   swift run lesson15 --help

import ConcurrentFutures
import LessonSupport

let info = LessonInfo(
    number: 15, title: "Futures and async/await",
    summary: "await future.value versus result(), downloads with a TaskGroup (blocking and bridged to a\n"
        + "pool), computation both ways, and what cancelling an awaiting Task does to a future.",
    sections: [
        "await future.value: waiting without blocking", "The same downloads with a TaskGroup",
        "Computation: either way", "Cancelling the Task that awaits a future", "Which one when?",
    ])
let options = LessonOptions.parseOrExit(info)
let pageDelay = options.scaled(.milliseconds(300))

lesson(info)
say("""
    Swift has two ways to run things concurrently. This workbook's way: pools of threads, and \
    futures as receipts for their results. And the language's own: `async` functions, `await`, \
    tasks and task groups, run on a small set of threads that Swift manages. They meet in one \
    property, `future.value`, which lets async code await a future without blocking a thread.
    """)
let server = try LocalHTTPServer(configuration: .init(pageSize: 2_048, pageDelay: pageDelay))
say("Pages come from the lesson's server at \(server.baseURL), \(pageDelay.readable) each.")

section("await future.value: waiting without blocking")
say("""
    `result()` blocks: the calling thread sleeps until the future is done. On the main thread of \
    an app that freezes everything else the main thread does. `await future.value` suspends the \
    calling code instead, and the thread is free to do other work meanwhile. To see the \
    difference, a `heartbeat` Task on the main actor ticks every \(options.scaled(.milliseconds(20)).readable), \
    like an animation would, while the main code waits for a download, once each way.
    """)
code(
    snippet: "value",
    python: """
        first = ex.submit(fetch, url1)
        before = heartbeat.ticks
        first.result()                # blocks
        while_blocking = heartbeat.ticks - before

        second = ex.submit(fetch, url2)
        before = heartbeat.ticks
        await asyncio.wrap_future(second)   # suspends
        while_awaiting = heartbeat.ticks - before
        """)
let heartbeat = Heartbeat()
heartbeat.start(every: options.scaled(.milliseconds(20)))
try await Task.sleep(for: .milliseconds(5))  // let the heartbeat start
let firstPool = try ThreadPoolExecutor(maxWorkers: 2)
let ticks = try await blockThenAwait(server.url("/page/1"), server.url("/page/2"), on: firstPool, heartbeat: heartbeat)
firstPool.shutdown()
heartbeat.stop()
result("ticks while the main thread blocked in result()", "\(ticks.blocking)")
result("ticks while the main code awaited future.value", "\(ticks.awaiting)")
say("""
    Same download, same wait. While `result()` held the main thread, the heartbeat could not run \
    at all; while the code awaited `value`, the main actor was free and the heartbeat kept \
    ticking. The download itself ran on a pool thread both times: `value` changes how you wait, \
    not where the work runs.
    """)

section("The same downloads with a TaskGroup")
say("""
    A `TaskGroup` runs child tasks concurrently and collects their results: structured \
    concurrency, Swift's counterpart of submitting to a pool and waiting for all. But child \
    tasks run on Swift's own small pool of threads, about one per core, which expects tasks to \
    suspend rather than block. Here are 10 downloads with a group whose children call the \
    blocking `fetch` directly (`threads.recordOnThisThread` notes which thread ran each), then \
    with children that hand the download to a thread pool and await its future.
    """)
code(
    snippets: ["group-blocking", "group-pool"],
    python: """
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(
                         asyncio.to_thread(fetch_size, url))
                     for url in urls]
        total = sum(t.result() for t in tasks)
        """)
let urls = server.pageURLs(count: 10)
server.resetStatistics()
let blockingThreads = SpanRecorder()
let (blockingSizes, blockingTime) = try await measureAsync {
    try await downloadInGroupBlocking(urls, threads: blockingThreads)
}
let blockingPeak = server.statistics.peakConcurrentRequests
server.resetStatistics()
let bridgedRecorder = TaskEventRecorder()
let (bridgedSizes, bridgedTime) = try await measureAsync {
    try await downloadInGroupOnPool(urls, recorder: bridgedRecorder)
}
let bridgedPeak = server.statistics.peakConcurrentRequests
result("children block in fetch", "\(blockingTime.readable), at most \(blockingPeak) requests at once")
result("children await pool futures", "\(bridgedTime.readable), at most \(bridgedPeak) requests at once")
result("same bytes", blockingSizes == bridgedSizes ? "yes, \(bridgedSizes)" : "NO")
Timeline.print([
    TimelineSection("TaskGroup, blocking calls", spans: blockingThreads.spans),
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

section("Computation: either way")
let pieceSize = options.fast ? 2_000 : 12_000
let pieces = (0..<16).map { ($0 * pieceSize)..<(($0 + 1) * pieceSize) }
say("""
    CPU work is different: it does not wait, it computes, and one thread per core is the right \
    number. Swift's task threads are exactly that, so a `TaskGroup` is as good as a thread pool \
    sized to the cores. Prime counting in 16 pieces, both ways:
    """)
code(
    snippets: ["group-primes", "pool-primes"],
    python: """
        # Python: asyncio does not run CPU work in
        # parallel; a ProcessPoolExecutor does
        with ProcessPoolExecutor() as ex:
            total = sum(ex.map(count_primes, pieces))
        """)
let cores = usableCoreCount()
let (groupCount, groupTime) = await measureAsync {
    await countPrimesInGroup(pieces)
}
let (poolCount, poolTime) = try Stopwatch.measure { try countPrimesOnPool(pieces, cores: cores) }
result("TaskGroup", "\(groupTime.readable), \(groupCount) primes")
result("thread pool of \(cores)", "\(poolTime.readable), \(poolCount) primes")
note("The two times are close; which one wins changes from run to run on a busy machine.")

section("Cancelling the Task that awaits a future")
say("""
    Swift tasks can be cancelled: `task.cancel()`. What happens to a future the task was \
    awaiting? The await ends at once with `CancellationError`, but the future is left alone: \
    other code may be waiting for the same future, so one impatient waiter must not take it \
    away from the others. (Python's `asyncio.wrap_future` cancels the future too.) Below, a pool \
    of 1 is busy, download B waits in its queue, and a Task awaiting B is cancelled.
    """)
code(
    snippet: "cancel-waiter",
    python: """
        future_b = ex.submit(fetch, url)
        waiter = asyncio.ensure_future(
            asyncio.wrap_future(future_b))
        await asyncio.sleep(patience)
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
    snippet: "cancellably",
    python: """
        async def fetch_cancellably(url, ex):
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                ex, fetch_size, url)
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

section("Which one when?")
bullets([
    "Blocking APIs (files, blocking sockets, C libraries, `Process`): a thread pool. From async code, await its futures; never call them straight from a task.",
    "Code that is already async (async APIs, actors, a UI): `async`/`await` and task groups. Children cannot outlive their group, and cancellation flows down to them.",
    "CPU-bound work: either. A task group uses Swift's one-thread-per-core pool; a thread pool of `cores` workers does the same and can be named, observed and limited on its own.",
    "A hard limit on concurrency (at most 4 requests to that server): a pool of 4 is the simplest way to say it.",
    "Waiting for many results without blocking: `await future.value` in a task group, or `asCompleted` and `wait` on a thread that may block.",
])

server.stop()
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
    id: "15a",
    description: "Wrap pool work in an async function that never blocks its thread and cancels the queued "
        + "job when its Task is cancelled.")
exercise(
    id: "15b",
    description: "Run async jobs in a task group with at most `limit` at once, results in input order, the "
        + "first error cancelling the rest.")
nextStep(command: "swift run workbook")
