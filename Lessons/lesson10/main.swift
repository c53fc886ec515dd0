// Lesson 10 — Lifecycle
//
// A pool is born, works, and must be shut down. Scoped pools (Python's `with` statement),
// `shutdown(wait:)`, reusing one pool instead of making many, how many threads a pool starts
// and what they are called, per-thread set-up with an initializer, and the broken pool that a
// failing initializer leaves behind. The code it shows is in Examples.swift.
//
//   swift run lesson10            normal speed (about 2 s)
//   swift run lesson10 --fast     delays divided by 10
//   swift run lesson10 --step     pause after each section (presenter mode)
//   swift run lesson10 --help

import ConcurrentFutures
import LessonSupport
import SystemPlatform  // threadCount

let info = LessonInfo(
    number: 10, title: "Lifecycle",
    summary: "Scoped pools and shutdown(wait:), one pool reused versus a pool per batch, maxWorkers\n"
        + "defaults, thread names, initializers, and a pool broken by a failing initializer.",
    sections: [
        "A scoped pool: withThreadPool", "shutdown(wait:) by hand", "One pool, many batches",
        "How many workers? maxWorkers and its default", "Thread names", "An initializer: set-up once per thread",
        "A broken pool", "Who owns the pool?",
    ])
let options = LessonOptions.parseOrExit(info)
let pageDelay = options.scaled(.milliseconds(200))

lesson(info)
say("""
    Creating a pool is one line; ending it properly is the part people forget. A pool owns \
    threads, and threads are not freed until the pool is shut down. This lesson follows a pool \
    through its life: how it is scoped, started, named, set up, shut down, and how it breaks.
    """)

let server = try LocalHTTPServer(configuration: .init(pageSize: 1_024, pageDelay: pageDelay))
let folder = makeTemporaryFolder("lesson10")
say("Pages come from the lesson's server at \(server.baseURL), \(pageDelay.readable) each; files go to \(folder).")

section("A scoped pool: withThreadPool")
say("""
    Python's `with ThreadPoolExecutor() as ex:` shuts the pool down when the block ends, \
    however it ends. `withThreadPool { pool in ... }` is the same: when the closure returns or \
    throws, the pool stops taking work, waits for every task already submitted, and its threads \
    exit. Below, the body submits 4 downloads and then throws before reading any result.
    """)
code(
    snippet: "scoped",
    python: """
        with ThreadPoolExecutor(4) as ex:
            for url in urls:
                ex.submit(fetch_and_count, url)
            threads_inside(threading.active_count())
            raise ValidationError()
        """)
let threadsBefore = threadCount()
let downloadsFinished = LockedValue(0)
var threadsInside = 0
let scopedClock = Stopwatch()
do {
    try submitThenThrow(server.pageURLs(count: 4), finished: downloadsFinished) { threadsInside = $0 }
} catch {
    result("caught after \(scopedClock.elapsed.readable)", "\(error)")
}
result("downloads finished by then", "\(downloadsFinished.withLock { $0 }) of 4")
waitUntil { threadCount() <= threadsBefore }
result("threads in this process: before, inside, after", "\(threadsBefore), \(threadsInside), \(threadCount())")
say("""
    The error reached the `catch` only after the four downloads had finished and the four worker \
    threads had exited: leaving the scope means "shut down and wait", even on the error path. \
    (The other threads of the process belong to the lesson's web server.)
    """)

section("shutdown(wait:) by hand")
say("""
    A pool that lives longer than one block (in an object, for the whole program) is shut down \
    by calling `shutdown` yourself. `wait: true` (the default) blocks until every submitted task \
    has run and the threads are gone; `wait: false` returns at once while the workers finish \
    the queue on their own. Either way, the pool accepts nothing new.
    """)
code(
    snippet: "manual",
    python: """
        ex = ThreadPoolExecutor(max_workers=4)
        futures = [ex.submit(fetch, url)
                   for url in urls]
        ex.shutdown(wait=False)
        report("shutdown(wait=False) returned")
        wait(futures)            # still all finish
        report("all downloads finished")
        try:
            ex.submit(lambda: 42)
        except RuntimeError as error:
            refused(error)
        """)
let noWaitClock = Stopwatch()
try shutDownWithoutWaiting(server.pageURLs(count: 4)) { moment in
    result(moment + " after", noWaitClock.elapsed.readable)
} refused: { error in
    resultBlock("submit after shutdown", "\(error)")
}
let waitingPool = try ThreadPoolExecutor(maxWorkers: 4)
for url in server.pageURLs(count: 4) { try waitingPool.submit { try fetch(url).body.count } }
let waitClock = Stopwatch()
waitingPool.shutdown(wait: true)
result("shutdown(wait: true) on a fresh batch returned after", waitClock.elapsed.readable)
waitingPool.shutdown()
note("Calling `shutdown` a second time is harmless; it returns at once.")

section("One pool, many batches")
let batchCount = options.fast ? 30 : 200
say("""
    Starting a thread costs a system call, a stack and some scheduler bookkeeping: tens of \
    microseconds. A program that makes a new pool for every batch of work pays that again and \
    again. Here are \(batchCount) batches of 8 tiny tasks (`checksum`), done both ways. The \
    observer, `names.record`, collects the names of the worker threads that ran them.
    """)
code(
    snippets: ["pool-per-batch", "one-pool"],
    python: """
        for batch in batches:
            with ThreadPoolExecutor(4) as ex:
                list(ex.map(checksum, batch))

        with ThreadPoolExecutor(4) as ex:
            for batch in batches:
                list(ex.map(checksum, batch))
        """)
let batches = (0..<batchCount).map { batch in Array((batch * 8)..<(batch * 8 + 8)) }
let perBatchNames = WorkerNames()
let (_, perBatchTime) = try Stopwatch.measure { try poolPerBatch(batches, names: perBatchNames) }
let sharedNames = WorkerNames()
let (_, sharedTime) = try Stopwatch.measure { try onePoolForAll(batches, names: sharedNames) }
result("a new pool per batch", "\(perBatchTime.readable), \(perBatchNames.count) threads started")
result("one pool for every batch", "\(sharedTime.readable), \(sharedNames.count) threads started")
result("one pool is faster by", Stopwatch.speedUp(from: perBatchTime, to: sharedTime))
say("""
    Same work, same results; the difference is all thread creation and teardown. Make a pool \
    once, where the program (or a long-lived object) starts, pass it to the code that needs it, \
    and shut it down once at the end.
    """)

section("How many workers? maxWorkers and its default")
let cores = usableCoreCount()
say("""
    Without `maxWorkers`, a pool may grow to `min(32, cores + 4)` threads, Python's default since \
    3.8: enough to keep every core busy while a few threads wait for I/O, and capped so that a \
    big machine does not get hundreds of threads. It is a ceiling, not a number started up \
    front: threads start one at a time, only when a task arrives and no worker is free.
    """)
code(
    snippet: "default-size",
    python: """
        ex = ThreadPoolExecutor()  # min(32, os.process_cpu_count() + 4)
        for number in range(3):
            ex.submit(checksum, number).result()
        report("threads after 3 tasks", len(ex._threads))
        burst = [ex.submit(fetch, url) for url in urls]
        wait(burst)
        report("threads after the burst", len(ex._threads))
        ex.shutdown()
        """)
result("cores this process may use", "\(cores)")
result("ThreadPoolExecutor.defaultMaxWorkers", "\(ThreadPoolExecutor.defaultMaxWorkers)")
server.resetStatistics()
try growDefaultPool(server.pageURLs(count: 12)) { label, threads in result(label, "\(threads)") }
result("most downloads the server saw at once", "\(server.statistics.peakConcurrentRequests)")
say("""
    Tasks run one after another reuse the same idle thread. The burst of 12 downloads grew the \
    pool to its ceiling of \(ThreadPoolExecutor.defaultMaxWorkers); the rest waited in the queue. \
    The default suits a mix of work; for pure downloads pick a size (lesson 01), for pure \
    computation use about one thread per core (lesson 11).
    """)

section("Thread names")
say("""
    Every worker thread has a name: `ThreadPoolExecutor-<pool>_<n>` by default, or your prefix \
    with `_<n>`. Names show up in timelines, logs, debuggers and `top`, so a good prefix tells \
    you which pool a busy thread belongs to. A task can ask for its own worker's name; \
    `currentThreadName()` asks the system.
    """)
code(
    snippet: "names",
    python: """
        with ThreadPoolExecutor(1,
                thread_name_prefix=prefix) as ex:
            name = ex.submit(
                lambda: threading.current_thread().name
            ).result()
        """)
for prefix in ["", "downloader", "thumbnail-maker"] {
    let names = try workerNames(prefix: prefix)
    let shown = prefix.isEmpty ? "(none)" : "\"\(prefix)\""
    result("prefix \(shown)", "\(names.pool ?? "?") (the system: \(names.system))")
}
result("currentWorkerName on the main thread", ThreadPoolExecutor.currentWorkerName ?? "nil")
say("""
    Linux keeps at most 15 bytes of a thread's name, so a long prefix is shortened there (the \
    library keeps the `_<n>` that tells workers apart); `currentWorkerName` always has the full name.
    """)

section("An initializer: set-up once per thread")
say("""
    An `initializer` runs on each new worker thread before it takes its first task: the place \
    for per-thread set-up such as opening a connection, loading settings or warming a cache. \
    Here it reads a settings file from the lesson's folder. A pool of 3 threads runs 9 tasks.
    """)
code(
    snippet: "initializer",
    python: """
        with ThreadPoolExecutor(max_workers=3,
                thread_name_prefix="worker",
                initializer=load_settings,
                initargs=(settings_path, log)) as ex:
            list(ex.map(fetch, urls))
        """)
let settingsPath = folder + "/settings.conf"
try writeFile(settingsPath, Array("timeout = 5\nretries = 2\n".utf8))
let setupLog = LockedValue<[String]>([])
try downloadWithSettings(server.pageURLs(count: 9), settingsPath: settingsPath, log: setupLog)
for line in setupLog.withLock({ $0 }).sorted() { result("initializer", line) }
result("tasks run", "9, initializer calls: \(setupLog.withLock { $0.count })")

section("A broken pool")
say("""
    If the initializer throws, the thread cannot be trusted with tasks, and neither can the \
    pool: it becomes broken. Tasks waiting in its queue fail with `BrokenThreadPool`, and every \
    later `submit` throws it. Below, the settings file has been deleted before the pool starts.
    """)
code(
    snippet: "broken",
    python: """
        ex = ThreadPoolExecutor(2, initializer=load_settings,
                                initargs=(settings_path, log))
        doomed = ex.submit(fetch, url)
        try:
            doomed.result()
        except BrokenExecutor as error:
            report(error)
        try:
            ex.submit(lambda: 1)
        except BrokenExecutor as error:
            report(type(error))
        ex.shutdown()
        """)
unlink(settingsPath)
let diagnostics = LockedValue<[String]>([])
FutureDiagnostics.setHandler { report in diagnostics.withLock { $0.append(report.message) } }
try useBrokenPool(server.url("/page/0"), settingsPath: settingsPath, log: setupLog) { label, value in resultBlock(label, value) }
FutureDiagnostics.setHandler(nil)
for message in diagnostics.withLock({ $0 }) {
    note("Reported through FutureDiagnostics (standard error by default): " + message)
}
say("""
    Nothing was lost silently: the task's future carries the error, `submit` refuses new work \
    with the same explanation, and the initializer's own error was reported. The fix is outside \
    the pool: repair what the initializer needs, then create a new pool. A broken pool never \
    recovers.
    """)

section("Who owns the pool?")
say("""
    Choose one owner for each pool: a `withThreadPool` block for work that fits in one place, \
    or a long-lived object (a service, a downloader) that creates the pool when it starts and \
    calls `shutdown()` in its own `close()` or `stop()`. If the last reference to a pool goes \
    away without a shutdown, the pool shuts itself down without waiting: queued tasks still run, \
    but nobody waits for them, and a Swift program that returns from `main` does not wait either.
    """)

server.stop()
removeTree(folder)

takeaways([
    "`withThreadPool { pool in ... }` is Python's `with ThreadPoolExecutor() as ex:`: on exit, even by an error, it shuts the pool down and waits for its tasks.",
    "`shutdown(wait: false)` returns at once but the queued tasks still run; nothing can be submitted afterwards (`ShutdownError`).",
    "Make one pool and reuse it; a pool per batch pays for new threads every time.",
    "`maxWorkers` is a ceiling (default `min(32, cores + 4)`); threads start only when work needs them.",
    "Name your threads with `threadNamePrefix`; a task can read `ThreadPoolExecutor.currentWorkerName`.",
    "An `initializer` runs once per thread; if it throws, the pool is broken for good (`BrokenThreadPool`).",
])
exercise(
    id: "10a",
    description: "A long-lived service with its own named, warmed-up pool: `close` waits and frees the "
        + "threads, `abort` cancels the queue.")
nextStep(command: "swift run lesson11")
