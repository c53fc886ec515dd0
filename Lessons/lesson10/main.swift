// Lesson 10 — Lifecycle
//
// A pool is born, works, and must be shut down. Scoped pools (Python's `with` statement),
// `shutdown(wait:)`, reusing one pool instead of making many, how many threads a pool starts
// and what they are called, per-thread set-up with an initializer, and the broken pool that a
// failing initializer leaves behind.
//
//   swift run lesson10            normal speed (about 2 s)
//   swift run lesson10 --fast     delays divided by 10
//   swift run lesson10 --help

import ConcurrentFutures
import SystemPlatform
import LessonSupport

let info = LessonInfo(
    number: 10, title: "Lifecycle",
    summary: "Scoped pools and shutdown(wait:), one pool reused versus a pool per batch, maxWorkers\n"
        + "defaults, thread names, initializers, and a pool broken by a failing initializer.")
let options = LessonOptions.parseOrExit(info)
let pageDelay = options.scaled(.milliseconds(200))

// MARK: - The code the lesson runs

/// Downloads one page and returns its size. Blocking: the worker waits on the socket.
func fetch(_ url: String) throws -> Int {
    try HTTPClient.get(url, timeout: .seconds(10)).ensureSuccess().body.count
}

/// An error that a real program might throw halfway through using a pool.
struct ValidationError: Error, CustomStringConvertible {
    var description: String { "ValidationError: the batch is not worth finishing" }
}

/// An error from a file operation, with the system's explanation.
struct FileError: Error, CustomStringConvertible {
    let path: String
    let code: Int32
    var description: String { "cannot read \(path): \(String(cString: strerror(code)))" }
}

/// The whole content of the file at `path`.
func readFile(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw FileError(path: path, code: errno) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4_096)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count >= 0 else { throw FileError(path: path, code: errno) }
        if count == 0 { return bytes }
        bytes += buffer[..<count]
    }
}

/// Writes `text` to a new file at `path`.
func writeFile(_ path: String, _ text: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    precondition(fd >= 0, "cannot create \(path)")
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}

/// The name the operating system gives the calling thread (what `top -H` shows).
func systemThreadName() -> String {
    currentThreadName()
}

extension String {
    func trimmingTrailingNewline() -> String {
        hasSuffix("\n") ? String(dropLast()) : self
    }
}

/// How many threads this process has right now.
func processThreadCount() -> Int {
    threadCount()
}

/// The number of CPU cores this process may use (Python 3.13: `os.process_cpu_count()`). The
/// process pool's default size is exactly that number, so the lesson borrows it.
func usableCores() -> Int {
    ProcessPoolExecutor.defaultMaxWorkers
}

/// A little CPU work: the kind of tiny task whose cost is dwarfed by starting a thread.
func checksum(_ seed: Int) -> Int {
    var value = seed
    for _ in 0..<200 { value = (value &* 31 &+ 7) % 1_000_003 }
    return value
}

/// Sleeps the calling thread.
func pause(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

/// Waits until `condition` holds, looking every millisecond, for at most `limit`.
@discardableResult
func waitUntil(_ limit: Duration = .seconds(2), _ condition: () -> Bool) -> Bool {
    let clock = Stopwatch()
    while !condition() {
        if clock.elapsed > limit { return false }
        pause(.milliseconds(1))
    }
    return true
}

// MARK: - The lesson

lesson(info)
say("""
    Creating a pool is one line; ending it properly is the part people forget. A pool owns \
    threads, and threads are not freed until the pool is shut down. This lesson follows a pool \
    through its life: how it is scoped, started, named, set up, shut down, and how it breaks.
    """)

let server = try LocalHTTPServer(configuration: .init(pageSize: 1_024, pageDelay: pageDelay))
let folder: String = {
    var template = Array("/tmp/lesson10-XXXXXX".utf8CString)
    guard let path = mkdtemp(&template) else { fatalError("mkdtemp failed") }
    return String(cString: path)
}()
print()
say("Pages come from the lesson's server at \(server.baseURL), \(pageDelay.readable) each; files go to \(folder).")

section("1. A scoped pool: withThreadPool")
say("""
    Python's `with ThreadPoolExecutor() as ex:` shuts the pool down when the block ends, \
    however it ends. `withThreadPool { pool in ... }` is the same: when the closure returns or \
    throws, the pool stops taking work, waits for every task already submitted, and its threads \
    exit. Below, the body submits 4 downloads and then throws before reading any result.
    """)
code(
    swift: """
        do {
            try withThreadPool(maxWorkers: 4) { pool in
                for url in urls {
                    try pool.submit { try fetch(url) }
                }
                throw ValidationError()
            }
        } catch {
            print(error)
        }
        """,
    python: """
        try:
            with ThreadPoolExecutor(4) as ex:
                for url in urls:
                    ex.submit(fetch, url)
                raise ValidationError()
        except ValidationError as e:
            print(e)
        """)
let threadsBefore = processThreadCount()
let downloadsFinished = LockedValue(0)
let threadsInside = LockedValue(0)
let scopedClock = Stopwatch()
do {
    try withThreadPool(maxWorkers: 4) { pool in
        for url in server.pageURLs(count: 4) {
            try pool.submit {
                _ = try fetch(url)
                downloadsFinished.withLock { $0 += 1 }
            }
        }
        waitUntil { pool.statistics.liveWorkers == 4 }
        threadsInside.withLock { $0 = processThreadCount() }
        throw ValidationError()
    }
} catch {
    result("caught after \(scopedClock.elapsed.readable)", "\(error)")
}
result("downloads finished by then", "\(downloadsFinished.withLock { $0 }) of 4")
waitUntil { processThreadCount() <= threadsBefore }
result("threads in this process: before, inside, after", "\(threadsBefore), \(threadsInside.withLock { $0 }), \(processThreadCount())")
say("""
    The error reached the `catch` only after the four downloads had finished and the four worker \
    threads had exited: leaving the scope means "shut down and wait", even on the error path. \
    (The other threads of the process belong to the lesson's web server.)
    """)

section("2. shutdown(wait:) by hand")
say("""
    A pool that lives longer than one block (in an object, for the whole program) is shut down \
    by calling `shutdown` yourself. `wait: true` (the default) blocks until every submitted task \
    has run and the threads are gone; `wait: false` returns at once while the workers finish \
    the queue on their own. Either way, the pool accepts nothing new.
    """)
code(
    swift: """
        let pool = try ThreadPoolExecutor(maxWorkers: 4)
        let futures = try urls.map { url in
            try pool.submit { try fetch(url) }
        }
        pool.shutdown(wait: false)
        _ = try wait(futures)    // still all finish
        try pool.submit { ... }  // ShutdownError
        """,
    python: """
        ex = ThreadPoolExecutor(max_workers=4)
        futures = [ex.submit(fetch, url)
                   for url in urls]
        ex.shutdown(wait=False)
        wait(futures)            # still all finish
        ex.submit(...)           # RuntimeError
        """)
let manualPool = try ThreadPoolExecutor(maxWorkers: 4)
let manualFutures = try server.pageURLs(count: 4).map { url in try manualPool.submit { try fetch(url) } }
let noWaitClock = Stopwatch()
manualPool.shutdown(wait: false)
result("shutdown(wait: false) returned after", noWaitClock.elapsed.readable)
_ = try wait(manualFutures)
result("all 4 downloads finished after", "\(noWaitClock.elapsed.readable) (\(manualFutures.count { !$0.isCancelled && $0.isDone }) done)")
do {
    try manualPool.submit { 42 }
} catch {
    resultBlock("submit after shutdown", "\(error)")
}
let waitingPool = try ThreadPoolExecutor(maxWorkers: 4)
for url in server.pageURLs(count: 4) { try waitingPool.submit { try fetch(url) } }
let waitClock = Stopwatch()
waitingPool.shutdown(wait: true)
result("shutdown(wait: true) on a fresh batch returned after", waitClock.elapsed.readable)
waitingPool.shutdown()
note("Calling `shutdown` a second time is harmless; it returns at once.")

section("3. One pool, many batches")
let batchCount = options.fast ? 30 : 200
say("""
    Starting a thread costs a system call, a stack and some scheduler bookkeeping: tens of \
    microseconds. A program that makes a new pool for every batch of work pays that again and \
    again. Here are \(batchCount) batches of 8 tiny tasks, done both ways. The observer counts \
    how many different worker threads ran them.
    """)
code(
    swift: """
        for batch in batches {            // a pool per batch
            try withThreadPool(maxWorkers: 4) { pool in
                _ = try Array(pool.map(batch, checksum))
            }
        }
        try withThreadPool(maxWorkers: 4) { pool in
            for batch in batches {        // one pool for all
                _ = try Array(pool.map(batch, checksum))
            }
        }
        """,
    python: """
        for batch in batches:
            with ThreadPoolExecutor(4) as ex:
                list(ex.map(checksum, batch))

        with ThreadPoolExecutor(4) as ex:
            for batch in batches:
                list(ex.map(checksum, batch))
        """)
let batches = (0..<batchCount).map { batch in Array((batch * 8)..<(batch * 8 + 8)) }

/// Collects the names of the workers that started tasks.
final class WorkerNames: Sendable {
    private let names = LockedValue(Set<String>())
    @Sendable func record(_ event: TaskEvent) {
        if case .started(let worker) = event.kind { names.withLock { _ = $0.insert(worker) } }
    }
    var count: Int { names.withLock { $0.count } }
}

let perBatchNames = WorkerNames()
let perBatchClock = Stopwatch()
for (index, batch) in batches.enumerated() {
    try withThreadPool(maxWorkers: 4, threadNamePrefix: "batch\(index)", observer: perBatchNames.record) { pool in
        _ = try Array(pool.map(batch, checksum))
    }
}
let perBatchTime = perBatchClock.elapsed
let sharedNames = WorkerNames()
let sharedClock = Stopwatch()
try withThreadPool(maxWorkers: 4, threadNamePrefix: "shared", observer: sharedNames.record) { pool in
    for batch in batches {
        _ = try Array(pool.map(batch, checksum))
    }
}
let sharedTime = sharedClock.elapsed
result("a new pool per batch", "\(perBatchTime.readable), \(perBatchNames.count) threads started")
result("one pool for every batch", "\(sharedTime.readable), \(sharedNames.count) threads started")
result("one pool is faster by", Stopwatch.speedUp(from: perBatchTime, to: sharedTime))
say("""
    Same work, same results; the difference is all thread creation and teardown. Make a pool \
    once, where the program (or a long-lived object) starts, pass it to the code that needs it, \
    and shut it down once at the end.
    """)

section("4. How many workers? maxWorkers and its default")
let cores = usableCores()
say("""
    Without `maxWorkers`, a pool may grow to `min(32, cores + 4)` threads, Python's default since \
    3.8: enough to keep every core busy while a few threads wait for I/O, and capped so that a \
    big machine does not get hundreds of threads. It is a ceiling, not a number started up \
    front: threads start one at a time, only when a task arrives and no worker is free.
    """)
code(
    swift: """
        ThreadPoolExecutor.defaultMaxWorkers
        let pool = try ThreadPoolExecutor()
        """,
    python: """
        min(32, (os.process_cpu_count() or 1) + 4)
        ex = ThreadPoolExecutor()
        """)
result("cores this process may use", "\(cores)")
result("ThreadPoolExecutor.defaultMaxWorkers", "\(ThreadPoolExecutor.defaultMaxWorkers)")
let defaultPool = try ThreadPoolExecutor()
for number in 0..<3 {
    _ = try defaultPool.submit { checksum(number) }.result()
}
result("threads after 3 tasks, one after another", "\(defaultPool.statistics.liveWorkers)")
server.resetStatistics()
let burst = try server.pageURLs(count: 12).map { url in try defaultPool.submit { try fetch(url) } }
_ = try wait(burst)
result("threads after 12 downloads at once", "\(defaultPool.statistics.liveWorkers)")
result("most downloads the server saw at once", "\(server.statistics.peakConcurrentRequests)")
defaultPool.shutdown()
say("""
    Tasks run one after another reuse the same idle thread. The burst of 12 downloads grew the \
    pool to its ceiling of \(ThreadPoolExecutor.defaultMaxWorkers); the rest waited in the queue. \
    The default suits a mix of work; for pure downloads pick a size (lesson 01), for pure \
    computation use about one thread per core (lesson 11).
    """)

section("5. Thread names")
say("""
    Every worker thread has a name: `ThreadPoolExecutor-<pool>_<n>` by default, or your prefix \
    with `_<n>`. Names show up in timelines, logs, debuggers and `top`, so a good prefix tells \
    you which pool a busy thread belongs to. A task can ask for its own worker's name.
    """)
code(
    swift: """
        let pool = try ThreadPoolExecutor(
            threadNamePrefix: "thumbnailer")
        try pool.submit {
            ThreadPoolExecutor.currentWorkerName
        }
        """,
    python: """
        ex = ThreadPoolExecutor(
            thread_name_prefix="thumbnailer")
        ex.submit(
            lambda: threading.current_thread().name)
        """)
for prefix in ["", "downloader", "thumbnail-maker"] {
    let names = try withThreadPool(maxWorkers: 1, threadNamePrefix: prefix) { pool in
        try pool.submit { (ThreadPoolExecutor.currentWorkerName ?? "?", systemThreadName()) }.result()
    }
    let shown = prefix.isEmpty ? "(none)" : "\"\(prefix)\""
    result("prefix \(shown)", "\(names.0) (the system: \(names.1))")
}
result("currentWorkerName on the main thread", ThreadPoolExecutor.currentWorkerName ?? "nil")
say("""
    Linux keeps at most 15 bytes of a thread's name, so a long prefix is shortened there (the \
    library keeps the `_<n>` that tells workers apart); `currentWorkerName` always has the full name.
    """)

section("6. An initializer: set-up once per thread")
say("""
    An `initializer` runs on each new worker thread before it takes its first task: the place \
    for per-thread set-up such as opening a connection, loading settings or warming a cache. \
    Here it reads a settings file from the lesson's folder. A pool of 3 threads runs 9 tasks.
    """)
code(
    swift: """
        let pool = try ThreadPoolExecutor(maxWorkers: 3,
            initializer: { try loadSettings(path) })
        """,
    python: """
        ex = ThreadPoolExecutor(max_workers=3,
            initializer=load_settings, initargs=(path,))
        """)
let settingsPath = folder + "/settings.conf"
writeFile(settingsPath, "timeout = 5\nretries = 2\n")
let setupLog = LockedValue<[String]>([])

/// What the initializer does: read the settings, note which thread did.
func loadSettings(_ path: String, log: LockedValue<[String]>) throws {
    let bytes = try readFile(path)
    let worker = ThreadPoolExecutor.currentWorkerName ?? "?"
    log.withLock { $0.append("\(worker) read \(bytes.count) bytes of settings") }
}

try withThreadPool(maxWorkers: 3, threadNamePrefix: "worker", initializer: { try loadSettings(settingsPath, log: setupLog) }) { pool in
    let urls = server.pageURLs(count: 9)
    _ = try Array(pool.map(urls, fetch))
}
for line in setupLog.withLock({ $0 }).sorted() { result("initializer", line) }
result("tasks run", "9, initializer calls: \(setupLog.withLock { $0.count })")

section("7. A broken pool")
say("""
    If the initializer throws, the thread cannot be trusted with tasks, and neither can the \
    pool: it becomes broken. Tasks waiting in its queue fail with `BrokenThreadPool`, and every \
    later `submit` throws it. Below, the settings file has been deleted before the pool starts.
    """)
code(
    swift: """
        do {
            try future.result()
        } catch let error as any BrokenExecutor {
            print(error)
        }
        """,
    python: """
        try:
            future.result()
        except BrokenExecutor as e:
            print(e)
        """)
unlink(settingsPath)
let diagnostics = LockedValue<[String]>([])
FutureDiagnostics.setHandler { report in diagnostics.withLock { $0.append(report.message) } }
let brokenPool = try ThreadPoolExecutor(
    maxWorkers: 2, threadNamePrefix: "worker", initializer: { try loadSettings(settingsPath, log: setupLog) })
let doomed = try brokenPool.submit { try fetch(server.url("/page/0")) }
do {
    _ = try doomed.result()
} catch let error as any BrokenExecutor {
    resultBlock("the first task's result() threw", "\(error)")
}
do {
    try brokenPool.submit { 1 }
} catch {
    result("a later submit", "throws \(type(of: error))")
}
brokenPool.shutdown()
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

section("8. Who owns the pool?")
say("""
    Choose one owner for each pool: a `withThreadPool` block for work that fits in one place, \
    or a long-lived object (a service, a downloader) that creates the pool when it starts and \
    calls `shutdown()` in its own `close()` or `stop()`. If the last reference to a pool goes \
    away without a shutdown, the pool shuts itself down without waiting: queued tasks still run, \
    but nobody waits for them, and a Swift program that returns from `main` does not wait either.
    """)

server.stop()
_ = rmdir(folder)

takeaways([
    "`withThreadPool { pool in ... }` is Python's `with ThreadPoolExecutor() as ex:`: on exit, even by an error, it shuts the pool down and waits for its tasks.",
    "`shutdown(wait: false)` returns at once but the queued tasks still run; nothing can be submitted afterwards (`ShutdownError`).",
    "Make one pool and reuse it; a pool per batch pays for new threads every time.",
    "`maxWorkers` is a ceiling (default `min(32, cores + 4)`); threads start only when work needs them.",
    "Name your threads with `threadNamePrefix`; a task can read `ThreadPoolExecutor.currentWorkerName`.",
    "An `initializer` runs once per thread; if it throws, the pool is broken for good (`BrokenThreadPool`).",
])
exercise(
    command: "swift run workbook check 10a",
    description: "a long-lived service object that owns a pool: it creates the pool once, serves many requests with it, and shuts it down properly when closed.")
nextStep(command: "swift run lesson11")
