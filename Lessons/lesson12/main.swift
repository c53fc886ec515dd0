// Lesson 12 — Pitfalls
//
// Six classic ways to get pools wrong, each shown happening on this machine and then fixed:
// the wrong executor for the job, too many workers, a task waiting for another task of the
// same full pool (a deadlock), shared mutable state, an error nobody looked at, and a pool
// nobody shut down. The code it shows is in Examples.swift.
//
//   swift run lesson12            normal speed (about 4 s)
//   swift run lesson12 --fast     smaller jobs, delays divided by 10
//   swift run lesson12 --step     pause after each section (presenter mode)
//   swift run lesson12 --help

import ConcurrentFutures
import LessonSupport
import SystemPlatform  // resourceUsage, threadCount

// The entry-point guard (lesson 11): in a worker process this serves the pool and never returns.
ProcessPoolExecutor.runWorkerIfRequested(tasks: [Square.self])

let info = LessonInfo(
    number: 12, title: "Pitfalls",
    summary: "Six classic mistakes with pools, each happening live and then fixed: the wrong executor,\n"
        + "too many workers, a deadlock, shared state, an ignored error, and no shutdown.",
    sections: [
        "The wrong executor for the job", "Too many workers", "A task waiting for a task of the same pool",
        "Shared mutable state", "An error nobody looked at", "Forgetting to shut down",
    ])
let options = LessonOptions.parseOrExit(info)
let pageDelay = options.scaled(.milliseconds(100))

/// Shows what the compiler printed, as text, wrapped to fit the screen.
func compilerSays(_ message: String) {
    let color = Terminal.isColorEnabled
    show("  " + Terminal.paint("swift build", [.dim], enabled: color))
    for line in Narrator.wrap(message, columns: min(Terminal.width, Narrator.maximumProseWidth) - 6) {
        show("  " + Terminal.paint("│ ", [.dim], enabled: color) + Terminal.paint(line, [.red], enabled: color))
    }
    show("")
}

/// The verdict line of each pitfall.
func fixed(_ text: String) {
    say("✔ Fix: " + text)
}

lesson(info)
say("""
    Pools fail in a few typical ways, and most of them fail quietly: slower than expected, a \
    wrong total now and then, an error nobody sees, a program that never finishes. Each section \
    below makes one mistake on purpose, shows what it does on this machine, then fixes it.
    """)
let server = try LocalHTTPServer(configuration: .init(pageSize: 4_096, pageDelay: pageDelay))
let base = server.baseURL
say("The lesson's web server is at \(base); each page takes \(pageDelay.readable).")

section("The wrong executor for the job")
let tinyCount = options.fast ? 200 : 2_000
let tinyChunk = tinyCount / 10
say("""
    A process pool sends every call to another process: the input is encoded, written to a \
    socket, decoded, the answer travels back the same way. That is worth it for big, isolated \
    jobs (lesson 11), and ruinous for tiny ones. Here are \(tinyCount) squares, one call each, \
    on a process pool of 2; then in chunks of \(tinyChunk) (`chunk`); then on a thread pool of 2.
    """)
code(
    snippets: ["process-squares", "chunked-squares", "thread-squares"],
    python: """
        with ProcessPoolExecutor(2) as ex:
            squares = list(ex.map(square, numbers))

        with ProcessPoolExecutor(2) as ex:
            squares = list(ex.map(square, numbers,
                                  chunksize=chunk))

        with ThreadPoolExecutor(2) as ex:
            squares = list(ex.map(square, numbers))
        """)
let numbers = Array(0..<tinyCount)
let expectedSquares = numbers.map { $0 * $0 }
let (processSquares, processTime) = try Stopwatch.measure { try squaresInProcesses(numbers) }
let (chunkedSquares, chunkedTime) = try Stopwatch.measure { try squaresInProcessChunks(numbers, chunk: tinyChunk) }
let (threadSquares, threadTime) = try Stopwatch.measure { try squaresOnThreads(numbers) }
let allRight = [processSquares, chunkedSquares, threadSquares].allSatisfy { $0 == expectedSquares }
result("process pool, one call per number", processTime.readable)
result("process pool, chunkSize: \(tinyChunk)", chunkedTime.readable)
result("thread pool", threadTime.readable)
result("all three computed the same squares", allRight ? "yes" : "NO")
say("""
    With one call per number, the process pool spent its time starting workers and passing \
    \(tinyCount) messages each way, not squaring. Chunks of \(tinyChunk) numbers need only \
    10 messages and remove most of that cost. \
    \(chunkedTime < threadTime
        ? "Here they even beat the thread pool, which pays a small cost per task too (`chunkSize` cuts it on a thread pool as well)."
        : "The thread pool needs no messages and no worker processes at all.") \
    In Swift, threads run in parallel on every core (there is no global interpreter lock), so \
    a thread pool is the default for both I/O and computation.
    """)
fixed("choose threads unless you need what only processes give (crash isolation, a fresh memory space); for a process pool, send few, large calls.")

section("Too many workers")
let cores = usableCoreCount()
let pieceCount = 32
let pieceSize = options.fast ? 2_000 : 20_000
say("""
    More threads only help while some of them are waiting. For pure computation, a core can \
    run one thread at a time: with more threads than cores, the extra ones just take turns, \
    and every turn is a context switch. Here is the same prime counting (\(pieceCount) pieces) \
    on a thread pool of \(cores) workers, one per core, and of \(pieceCount) workers.
    """)
code(
    snippet: "workers",
    python: """
        with ThreadPoolExecutor(max_workers=workers) as ex:
            counts = list(ex.map(count_primes, pieces))
        # (In CPython the GIL lets one of them compute at a
        #  time anyway; this pitfall bites its process pools.)
        """)
let pieces = (0..<pieceCount).map { index in (index * pieceSize)..<((index + 1) * pieceSize) }

/// Counts the primes of every piece on a pool of `workers` threads; returns the total, the wall
/// time, the CPU time and the involuntary context switches.
func primeRun(workers: Int) throws -> (total: Int, wall: Duration, cpu: Duration, switches: Int) {
    let before = resourceUsage(of: .currentProcess)
    let (counts, wall) = try Stopwatch.measure { try countPrimes(of: pieces, workers: workers) }
    let after = resourceUsage(of: .currentProcess)
    return (counts.reduce(0, +), wall, after.cpu - before.cpu, after.involuntarySwitches - before.involuntarySwitches)
}

_ = try primeRun(workers: cores)  // warm-up: wakes the cores before measuring
let fitted = try primeRun(workers: cores)
let crowded = try primeRun(workers: pieceCount)
let widths = [14, 12, 12, 22]
tableRow(["workers", "wall time", "CPU time", "forced context switches"], widths: widths, numbers: false)
tableRow(["\(cores)", fitted.wall.readable, fitted.cpu.readable, "\(fitted.switches)"], widths: widths, numbers: false)
tableRow(["\(pieceCount)", crowded.wall.readable, crowded.cpu.readable, "\(crowded.switches)"], widths: widths, numbers: false)
show("")
result("same number of primes", fitted.total == crowded.total ? "yes, \(fitted.total)" : "NO")
say("""
    \(pieceCount) workers did not finish sooner: there were still only \(cores) cores to run \
    them. They cost more switching, \(pieceCount) thread stacks, and on a shared machine they \
    crowd out everyone else. (The numbers jump around on a busy machine; the wall times stay \
    close.) For I/O-bound work the limit is elsewhere: a pool of 500 downloaders opens 500 \
    connections, and the server at the other end may not like that.
    """)
fixed("size CPU pools to the cores (`usableCoreCount()` here, Python's `os.process_cpu_count()`); size I/O pools to the waits you want to overlap and the other side can bear.")

section("A task waiting for a task of the same pool")
say("""
    A two-stage pipeline: each task downloads a page, then hands the parsing to the pool as a \
    second task, and waits for it. With 2 workers and 2 pages, both workers run a download \
    task, both downloads submit their parse task, and both wait. The parse tasks sit in the \
    queue behind two workers that will never be free: a deadlock. Python hangs here forever.
    """)
code(
    snippets: ["fetch-and-parse", "one-pool"],
    python: """
        def fetch_and_parse(url, pool):
            page = fetch(url)
            parse = pool.submit(digest, page)
            return parse.result()  # hangs

        pool = ThreadPoolExecutor(2,
            thread_name_prefix="pipeline")
        futures = [pool.submit(fetch_and_parse, url, pool)
                   for url in urls]
        """)
let deadlockRecorder = TaskEventRecorder()
let deadlockClock = Stopwatch()
let (deadlockPool, stuck) = try onePoolPipeline(server.pageURLs(count: 2), recorder: deadlockRecorder)
// The main thread waits with a timeout of its own, so the lesson cannot hang even if the
// detection were switched off.
_ = try? wait(stuck, timeout: .seconds(10), returnWhen: .firstException)
result("first download task ended after", deadlockClock.elapsed.readable)
var deadlockMessage: String?
for (index, future) in stuck.enumerated() {
    switch Result(catching: { try future.exception(timeout: .seconds(10)) }) {
    case .success(nil): result("F\(index)", "returned")
    case .success(let error?):
        result("F\(index)", "failed with \(type(of: error))")
        deadlockMessage = deadlockMessage ?? "\(error)"
    case .failure(let error): result("F\(index)", "still waiting (\(error))")
    }
}
if let deadlockMessage { resultBlock("the error", deadlockMessage) }
if stuck.allSatisfy(\.isDone) { deadlockPool.shutdown(wait: true) } else { deadlockPool.shutdown(wait: false) }
say("""
    After about half a second with every worker waiting on its own pool, the library made a \
    wait throw `DeadlockError`. The task whose wait threw failed and its worker was free again; \
    it ran the queued parse tasks, so a download still waiting got its answer. The program \
    gets an error to handle instead of a hang, but the pipeline is still wrong.
    """)
say("""
    The simplest fix is not to wait inside a task: call `digest(page.body)` directly in the same \
    task. When the stages must stay separate tasks (different sizes, different limits), give the \
    second stage a pool of its own, so a waiting first stage can never take its workers.
    """)
code(
    snippet: "two-pools",
    python: """
        with ThreadPoolExecutor(2) as parse_pool, \\
             ThreadPoolExecutor(2) as fetch_pool:
            futures = [fetch_pool.submit(fetch_and_parse,
                                         url, parse_pool)
                       for url in urls]
            digests = [f.result() for f in futures]
        """)
let fetchRecorder = TaskEventRecorder()
let parseRecorder = TaskEventRecorder()
let (digests, fixTime) = try Stopwatch.measure {
    try poolPerStagePipeline(server.pageURLs(count: 2), fetchRecorder: fetchRecorder, parseRecorder: parseRecorder)
}
result("fixed pipeline", "\(digests.count) pages parsed in \(fixTime.readable)")
Timeline.print([
    TimelineSection("one pool: deadlock, detected", spans: TimelineSpan.spans(from: deadlockRecorder.events)),
    TimelineSection("a pool per stage", spans: TimelineSpan.spans(from: fetchRecorder.events) + TimelineSpan.spans(from: parseRecorder.events)),
])
say("""
    In the first picture the download tasks F0 and F1 hold both workers for half a second; the \
    one that fails is drawn with x. The parse tasks P0 and P1 wait on the queue row all that \
    time and run at the very end. In the second picture the parsers have threads of their own \
    and the whole pipeline takes one download.
    """)
fixed("never block a task on work that needs a worker of the same pool; do the work inline, or give each stage its own pool.")

section("Shared mutable state")
say("""
    Adding up the sizes of downloaded pages in one shared variable looks harmless. But \
    `total += n` is three steps (read, add, write back), and two threads doing it at the same \
    moment can both read the same old value: one update is lost. In Python this runs and is \
    sometimes wrong. Swift 6 refuses to compile it:
    """)
code(
    snippet: "racy-total",
    python: """
        def total_bytes(pages):
            total = 0
            def add(page):
                nonlocal total
                total += len(page)
            with ThreadPoolExecutor(4) as ex:
                for page in pages:
                    ex.submit(add, page)
            return total
        """)
compilerSays(racyTotalDiagnostic)
let increments = options.fast ? 50_000 : 1_000_000
say("""
    It points at `total` inside the closure: a closure given to `submit` may run on another \
    thread at the same moment as others, so it must not change a variable it captured. The \
    check can be switched off with `nonisolated(unsafe)`, which tells the compiler "trust \
    me". Do not. To see what the compiler protects you from, the lesson does it once: 4 tasks \
    each add 1 to an unprotected counter \(grouped(increments)) times.
    """)
let expected = 4 * increments
let (_, racyTime) = try Stopwatch.measure {
    try withThreadPool(maxWorkers: 4) { pool in
        for _ in 0..<4 { try pool.submit { incrementUnprotected(times: increments) } }
    }
}
let lost = expected - unprotectedCounter
result("unprotected counter", "\(grouped(unprotectedCounter)) of \(grouped(expected)), \(grouped(lost)) lost (\(racyTime.readable))")
if lost == 0 { note("No update was lost this time. That is the nature of a race: it can pass a test and fail in production.") }
let lockedCounter = LockedValue(0)
let (_, lockedTime) = try Stopwatch.measure {
    try withThreadPool(maxWorkers: 4) { pool in
        for _ in 0..<4 { try pool.submit { incrementLocked(lockedCounter, times: increments) } }
    }
}
result("LockedValue counter", "\(grouped(lockedCounter.withLock { $0 })) of \(grouped(expected)) (\(lockedTime.readable))")
let (localTotal, localTime) = try Stopwatch.measure {
    try withThreadPool(maxWorkers: 4) { pool in
        try Array(pool.map(0..<4) { _ in countLocally(times: increments) }).reduce(0, +)
    }
}
result("each task counts, main adds up", "\(grouped(localTotal)) of \(grouped(expected)) (\(localTime.readable))")
say("The two ways to fix the page total:")
code(
    snippet: "safe-total",
    python: """
        total, lock = 0, threading.Lock()
        def add(page):
            global total
            with lock:
                total += len(page)
        # better: share nothing
        total = sum(ex.map(len, pages))
        """)
let pageBodies = (0..<8).map { LocalHTTPServer.pageBody(number: $0, size: 1_000 + $0) }
let safeTotals = try totalBytesSafely(of: pageBodies)
result("page total, locked and shared nothing", "\(grouped(safeTotals.locked)) and \(grouped(safeTotals.shared)) bytes")
say("""
    The lock makes each update whole, and the compiler accepts it because `LockedValue` is \
    `Sendable`: it can only be touched through `withLock`. Sharing nothing is better still: \
    each task returns its own number and one thread adds them up, with no lock to wait for.
    """)
fixed("share nothing (return values, combine them afterwards); where tasks must share, put the value behind a lock such as `LockedValue`.")

section("An error nobody looked at")
say("""
    Fire and forget: submit a task and never look at its future. If the task throws, the \
    error is stored in the future, and when the future is thrown away, so is the error. Python \
    says nothing at all. This library reports it when the future is released, on standard \
    error; the lesson catches the report with `FutureDiagnostics.setHandler` to show it here. \
    The server refuses report 2.
    """)
code(
    snippet: "forget",
    python: """
        with ThreadPoolExecutor(3) as ex:
            for report in reports:
                ex.submit(upload, report)  # future ignored
        """)
let reports = LockedValue<[String]>([])
FutureDiagnostics.setHandler { report in reports.withLock { $0.append(report.message) } }
try fireAndForget([0, 1, 2], base: base)
FutureDiagnostics.setHandler(nil)
for message in reports.withLock({ $0 }) { resultBlock("reported", message) }
say("""
    The program went on as if all three uploads had worked. Keep the futures and look at each \
    one: `exception()` returns the error (or `nil`) without throwing it.
    """)
code(
    snippet: "keep-futures",
    python: """
        with ThreadPoolExecutor(3) as ex:
            uploads = [(r, ex.submit(upload, r))
                       for r in reports]
            for report, future in uploads:
                outcome(report, future.exception())
        """)
try uploadAndCheck([0, 1, 2], base: base) { report, error in
    result("report \(report)", error.map { "failed: \($0)" } ?? "uploaded")
}
fixed("keep every future you submit and look at each outcome, or attach a done-callback that logs errors; `map` and `asCompleted` loops that call `result()` see every error.")

section("Forgetting to shut down")
say("""
    A helper starts a pool for some background downloads and returns, keeping the pool \
    somewhere long-lived (here, a global list) but never shutting it down. Two things go wrong: \
    the caller reads the results before they exist, and the pool's threads stay alive, idle, \
    until the program ends.
    """)
code(
    snippet: "forgotten",
    python: """
        def start_downloads(urls):
            ex = ThreadPoolExecutor(4)
            kept_pools.append(ex)
            for url in urls:
                ex.submit(fetch_and_keep, url)
            # no shutdown, no waiting
        """)
let threadsBefore = threadCount()
try startDownloads(server.pageURLs(count: 4))
result("pages ready when startDownloads returned", "\(downloadedPages.withLock { $0.count }) of 4")
pause(pageDelay * 3)
result("pages ready \((pageDelay * 3).readable) later", "\(downloadedPages.withLock { $0.count }) of 4")
result("threads: before, long after the work was done", "\(threadsBefore), \(threadCount())")
let sizes = try downloadAll(server.pageURLs(count: 4))
result("with withThreadPool: pages ready on return", "\(sizes.count) of 4")
result("threads after it", "\(threadCount()) (the 4 forgotten workers are still idle)")
for pool in keptPools.withLock({ $0 }) { pool.shutdown() }
result("threads once the forgotten pool is shut down", "\(threadCount())")
say("""
    Idle threads cost memory and show up in every debugger session; a pool created per request \
    and never shut down adds threads until something gives. And unlike Python, a Swift program \
    that returns from `main` does not wait for pool threads: work still queued is simply lost.
    """)
fixed("give every pool an owner that shuts it down: `withThreadPool` for a block, `shutdown()` in the `close()` of a long-lived object.")

server.stop()

takeaways([
    "Threads are Swift's default executor for I/O and computation alike; a process pool is for isolation, and only pays off with few, large calls.",
    "CPU-bound pools: about one worker per core. More workers only add context switches.",
    "Never wait inside a task for a task of the same pool; the library turns that deadlock into `DeadlockError` after ~0.5 s, Python just hangs.",
    "Swift 6 rejects shared mutable state at compile time; share nothing, or use a lock such as `LockedValue`.",
    "Look at every future's outcome; an ignored error is otherwise lost (here: an \"error never retrieved\" report).",
    "Every pool needs an owner that shuts it down; a Swift program does not wait for pool threads at exit.",
])
exercise(
    id: "12a",
    description: "A pipeline whose tasks wait for tasks of the same pool deadlocks: make it finish on any pool.")
exercise(
    id: "12b",
    description: "Remove `@unchecked Sendable` from a racy statistics class and make it safe, then serve "
        + "requests concurrently.")
nextStep(command: "swift run lesson13")
