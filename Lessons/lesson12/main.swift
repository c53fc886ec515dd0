// Lesson 12 — Pitfalls
//
// Six classic ways to get pools wrong, each shown happening on this machine and then fixed:
// the wrong executor for the job, too many workers, a task waiting for another task of the
// same full pool (a deadlock), shared mutable state, an error nobody looked at, and a pool
// nobody shut down.
//
//   swift run lesson12            normal speed (about 4 s)
//   swift run lesson12 --fast     smaller jobs, delays divided by 10
//   swift run lesson12 --help

import ConcurrentFutures
import SystemPlatform
import LessonSupport

// MARK: - Worker processes start here (lesson 11)

/// A tiny computation, registered so that a process pool can run it (section 1).
enum Square: ProcessTask {
    static func run(_ x: Int) -> Int { x * x }
}

// The entry-point guard: in a worker process this serves the pool and never returns.
ProcessPoolExecutor.runWorkerIfRequested(tasks: [Square.self])

let info = LessonInfo(
    number: 12, title: "Pitfalls",
    summary: "Six classic mistakes with pools, each happening live and then fixed: the wrong executor,\n"
        + "too many workers, a deadlock, shared state, an ignored error, and no shutdown.")
let options = LessonOptions.parseOrExit(info)
let pageDelay = options.scaled(.milliseconds(100))

// MARK: - The code the lesson runs

/// Downloads one page and returns its bytes.
func download(_ url: String) throws -> [UInt8] {
    try HTTPClient.get(url, timeout: .seconds(10)).ensureSuccess().body
}

/// A quick digest of some bytes: the "parse" stage of the pipeline in section 3.
func digest(_ bytes: [UInt8]) -> Int {
    bytes.reduce(17) { ($0 &* 31 &+ Int($1)) & 0xFFFF_FFFF }
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

/// CPU time used and context switches suffered by this process so far.
func resourceUsage() -> (cpu: Duration, involuntarySwitches: Int) {
    resourceUsage(of: .currentProcess)
}

/// How many threads this process has right now.
func processThreadCount() -> Int {
    threadCount()
}

/// Sleeps the calling thread.
func pause(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

/// Shows what the compiler printed, as text (long lines wrapped by hand to fit the screen).
func compilerSays(_ lines: [String]) {
    print("  " + Terminal.paint("swift build", .dim))
    for line in lines { print("  " + Terminal.paint("│ ", .dim) + Terminal.paint(line, .red)) }
    print()
}

/// 1234567 as "1,234,567".
func grouped(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var text = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { text += "," }
        text.append(digit)
    }
    return (number < 0 ? "-" : "") + text
}

/// The verdict line of each pitfall.
func fixed(_ text: String) {
    say("✔ Fix: " + text)
}

// MARK: - The lesson

lesson(info)
say("""
    Pools fail in a few typical ways, and most of them fail quietly: slower than expected, a \
    wrong total now and then, an error nobody sees, a program that never finishes. Each section \
    below makes one mistake on purpose, shows what it does on this machine, then fixes it.
    """)
let server = try LocalHTTPServer(configuration: .init(pageSize: 4_096, pageDelay: pageDelay))
print()
say("The lesson's web server is at \(server.baseURL); each page takes \(pageDelay.readable).")

// MARK: 1. The wrong executor

section("1. The wrong executor for the job")
let tinyCount = options.fast ? 200 : 2_000
let tinyChunk = tinyCount / 10
say("""
    A process pool sends every call to another process: the input is encoded, written to a \
    socket, decoded, the answer travels back the same way. That is worth it for big, isolated \
    jobs (lesson 11), and ruinous for tiny ones. Here are \(tinyCount) squares, one call each, \
    on a process pool of 2; then the same on a thread pool of 2.
    """)
code(
    swift: """
        try withProcessPool(tasks: [Square.self],
                            maxWorkers: 2) { pool in
            try Array(pool.map(Square.self, numbers))
        }
        try withThreadPool(maxWorkers: 2) { pool in
            try Array(pool.map(numbers) { $0 * $0 })
        }
        """,
    python: """
        with ProcessPoolExecutor(2) as ex:
            list(ex.map(square, numbers))

        with ThreadPoolExecutor(2) as ex:
            list(ex.map(square, numbers))
        """)
let numbers = Array(0..<tinyCount)
let expectedSquares = numbers.map { $0 * $0 }
let (processSquares, processTime) = try Stopwatch.measure {
    try withProcessPool(tasks: [Square.self], maxWorkers: 2, workerOutput: .discard) { pool in
        try Array(pool.map(Square.self, numbers))
    }
}
let (chunkedSquares, chunkedTime) = try Stopwatch.measure {
    try withProcessPool(tasks: [Square.self], maxWorkers: 2, workerOutput: .discard) { pool in
        try Array(pool.map(Square.self, numbers, chunkSize: tinyChunk))
    }
}
let (threadSquares, threadTime) = try Stopwatch.measure {
    try withThreadPool(maxWorkers: 2) { pool in
        try Array(pool.map(numbers) { $0 * $0 })
    }
}
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

// MARK: 2. Too many workers

section("2. Too many workers")
let cores = ProcessPoolExecutor.defaultMaxWorkers
let pieceCount = 32
let pieceSize = options.fast ? 2_000 : 20_000
say("""
    More threads only help while some of them are waiting. For pure computation, a core can \
    run one thread at a time: with more threads than cores, the extra ones just take turns, \
    and every turn is a context switch. Here is the same prime counting (\(pieceCount) pieces) \
    with \(cores) workers, one per core, and with \(pieceCount) workers.
    """)
code(
    swift: """
        let pool = try ThreadPoolExecutor(maxWorkers: \(pieceCount))
        let counts = try Array(pool.map(pieces, countPrimes))
        """,
    python: """
        ex = ProcessPoolExecutor(max_workers=\(pieceCount))
        counts = list(ex.map(count_primes, pieces))
        """)
let pieces = (0..<pieceCount).map { index in (index * pieceSize)..<((index + 1) * pieceSize) }

/// Counts the primes of every piece on a pool of `workers` threads; returns the total, the wall
/// time, the CPU time and the involuntary context switches.
func primeRun(workers: Int) throws -> (total: Int, wall: Duration, cpu: Duration, switches: Int) {
    let before = resourceUsage()
    let clock = Stopwatch()
    let counts = try withThreadPool(maxWorkers: workers) { pool in
        try Array(pool.map(pieces, countPrimes(in:)))
    }
    let wall = clock.elapsed
    let after = resourceUsage()
    return (counts.reduce(0, +), wall, after.cpu - before.cpu, after.involuntarySwitches - before.involuntarySwitches)
}

_ = try primeRun(workers: cores)  // warm-up: wakes the cores before measuring
let fitted = try primeRun(workers: cores)
let crowded = try primeRun(workers: pieceCount)
let widths = [14, 12, 12, 22]
func row(_ cells: [String]) {
    var line = "  "
    for (cell, width) in zip(cells, widths) { line += cell + String(repeating: " ", count: max(1, width - cell.count)) }
    while line.hasSuffix(" ") { line.removeLast() }
    print(line)
}
row(["workers", "wall time", "CPU time", "forced context switches"])
row(["\(cores)", fitted.wall.readable, fitted.cpu.readable, "\(fitted.switches)"])
row(["\(pieceCount)", crowded.wall.readable, crowded.cpu.readable, "\(crowded.switches)"])
print()
result("same number of primes", fitted.total == crowded.total ? "yes, \(fitted.total)" : "NO")
say("""
    \(pieceCount) workers did not finish sooner: there were still only \(cores) cores to run \
    them. They cost more switching, \(pieceCount) thread stacks, and on a shared machine they \
    crowd out everyone else. (The numbers jump around on a busy machine; the wall times stay \
    close.) For I/O-bound work the limit is elsewhere: a pool of 500 downloaders opens 500 \
    connections, and the server at the other end may not like that.
    """)
fixed("size CPU pools to the cores (`ProcessPoolExecutor.defaultMaxWorkers` is that number); size I/O pools to the waits you want to overlap and the other side can bear.")

// MARK: 3. Deadlock

section("3. A task waiting for a task of the same pool")
say("""
    A two-stage pipeline: each task downloads a page, then hands the parsing to the pool as a \
    second task, and waits for it. With 2 workers and 2 pages, both workers run a download \
    task, both downloads submit their parse task, and both wait. The parse tasks sit in the \
    queue behind two workers that will never be free: a deadlock. Python hangs here forever.
    """)
code(
    swift: """
        func fetchAndParse(_ url: String) throws -> Int {
            let page = try download(url)
            let parse = try pool.submit { digest(page) }
            return try parse.result()   // waits forever?
        }
        """,
    python: """
        def fetch_and_parse(url):
            page = download(url)
            parse = ex.submit(digest, page)
            return parse.result()  # hangs
        """)

/// Stage one, which waits inside the pool for stage two.
func fetchAndParse(_ url: String, pool: ThreadPoolExecutor, label: String) throws -> Int {
    let page = try download(url)
    let parse = try pool.submit(label: "P" + label) { digest(page) }
    return try parse.result()  // no timeout: the pool can tell this wait never ends
}

let deadlockRecorder = TaskEventRecorder()
let deadlockPool = try ThreadPoolExecutor(maxWorkers: 2, threadNamePrefix: "worker", observer: deadlockRecorder.record)
let deadlockClock = Stopwatch()
let stuck = try server.pageURLs(count: 2).enumerated().map { index, url in
    try deadlockPool.submit(label: "F\(index)") { try fetchAndParse(url, pool: deadlockPool, label: "\(index)") }
}
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
    The simplest fix is not to wait inside a task: call `digest(page)` directly in the same task. \
    When the stages must stay separate tasks (different sizes, different limits), give the \
    second stage a pool of its own, so a waiting first stage can never take its workers.
    """)
code(
    swift: """
        let fetchPool = try ThreadPoolExecutor(maxWorkers: 2)
        let parsePool = try ThreadPoolExecutor(maxWorkers: 2)
        // in the fetch task:
        let parse = try parsePool.submit { digest(page) }
        return try parse.result()
        """,
    python: """
        fetch_pool = ThreadPoolExecutor(2)
        parse_pool = ThreadPoolExecutor(2)
        # in the fetch task:
        parse = parse_pool.submit(digest, page)
        return parse.result()
        """)
let fetchRecorder = TaskEventRecorder()
let parseRecorder = TaskEventRecorder()
let fixClock = Stopwatch()
let digests = try withThreadPool(maxWorkers: 2, threadNamePrefix: "parser", observer: parseRecorder.record) { parsePool in
    try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker", observer: fetchRecorder.record) { fetchPool in
        let futures = try server.pageURLs(count: 2).enumerated().map { index, url in
            try fetchPool.submit(label: "F\(index)") { try fetchAndParse(url, pool: parsePool, label: "\(index)") }
        }
        return try futures.map { try $0.result() }
    }
}
result("fixed pipeline", "\(digests.count) pages parsed in \(fixClock.elapsed.readable)")
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

// MARK: 4. Shared mutable state

section("4. Shared mutable state")
say("""
    Adding up the sizes of downloaded pages in one shared variable looks harmless. But \
    `total += n` is three steps (read, add, write back), and two threads doing it at the same \
    moment can both read the same old value: one update is lost. In Python this runs and is \
    sometimes wrong. Swift 6 refuses to compile it:
    """)
code(
    swift: """
        func totalBytes(of pages: [[UInt8]]) throws -> Int {
            var total = 0
            try withThreadPool(maxWorkers: 4) { pool in
                for page in pages {
                    try pool.submit { total += page.count }
                }
            }
            return total
        }
        """)
compilerSays([
    "main.swift:5:31: error: mutation of captured var 'total' in",
    "concurrently-executing code",
])
let increments = options.fast ? 50_000 : 1_000_000
say("""
    It points at `total` inside the closure: a closure given to `submit` may run on another \
    thread at the same moment as others, so it must not change a variable it captured. The \
    check can be switched off with `nonisolated(unsafe)`, which tells the compiler "trust \
    me". Do not. To see what the compiler protects you from, the lesson does it once: 4 tasks \
    each add 1 to an unprotected counter \(grouped(increments)) times.
    """)

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
code(
    swift: """
        let total = LockedValue(0)
        try pool.submit {
            total.withLock { $0 += page.count }
        }

        // better: share nothing
        let sizes = try Array(pool.map(pages) { $0.count })
        let total = sizes.reduce(0, +)
        """,
    python: """
        total, lock = 0, threading.Lock()
        def add(page):
            global total
            with lock:
                total += len(page)
        # better: share nothing
        total = sum(ex.map(len, pages))
        """)
say("""
    The lock makes each update whole, and the compiler accepts it because `LockedValue` is \
    `Sendable`: it can only be touched through `withLock`. Sharing nothing is better still: \
    each task returns its own number and one thread adds them up, with no lock to wait for.
    """)
fixed("share nothing (return values, combine them afterwards); where tasks must share, put the value behind a lock such as `LockedValue`.")

// MARK: 5. An error nobody looked at

section("5. An error nobody looked at")
say("""
    Fire and forget: submit a task and never look at its future. If the task throws, the \
    error is stored in the future, and when the future is thrown away, so is the error. Python \
    says nothing at all. This library reports it when the future is released, on standard \
    error; the lesson catches the report with `FutureDiagnostics.setHandler` to show it here.
    """)
code(
    swift: """
        for report in reports {
            try pool.submit { try upload(report) }  // future ignored
        }
        """,
    python: """
        for report in reports:
            ex.submit(upload, report)  # future ignored
        """)

/// "Uploads" a report: a request to the server, which refuses report 2.
func upload(_ report: Int) throws {
    let status = report == 2 ? "&status=500" : ""
    _ = try download(server.url("/page/\(report)?delay=0\(status)"))
}

/// Submits three uploads and drops their futures.
func fireAndForget() throws {
    try withThreadPool(maxWorkers: 3, threadNamePrefix: "uploader") { pool in
        for report in 0..<3 {
            try pool.submit(label: "upload \(report)") { try upload(report) }
        }
    }
}

let reports = LockedValue<[String]>([])
FutureDiagnostics.setHandler { report in reports.withLock { $0.append(report.message) } }
try fireAndForget()
FutureDiagnostics.setHandler(nil)
for message in reports.withLock({ $0 }) { resultBlock("reported", message) }
say("""
    The program went on as if all three uploads had worked. Keep the futures and look at each \
    one: `exception()` returns the error (or `nil`) without throwing it.
    """)
code(
    swift: """
        let uploads = try reports.map { r in
            (r, try pool.submit { try upload(r) })
        }
        for (report, future) in uploads {
            if let error = try future.exception() {
                print("report", report, "failed:", error)
            }
        }
        """,
    python: """
        uploads = [(r, ex.submit(upload, r))
                   for r in reports]

        for report, future in uploads:
            if (error := future.exception()):
                print("report", report,
                      "failed:", error)
        """)
try withThreadPool(maxWorkers: 3, threadNamePrefix: "uploader") { pool in
    let uploads = try (0..<3).map { report in (report, try pool.submit { try upload(report) }) }
    for (report, future) in uploads {
        if let error = try future.exception() {
            result("report \(report)", "failed: \(error)")
        } else {
            result("report \(report)", "uploaded")
        }
    }
}
fixed("keep every future you submit and look at each outcome, or attach a done-callback that logs errors; `map` and `asCompleted` loops that call `result()` see every error.")

// MARK: 6. Forgetting to shut down

section("6. Forgetting to shut down")
say("""
    A helper starts a pool for some background downloads and returns, keeping the pool \
    somewhere long-lived (here, a global list) but never shutting it down. Two things go wrong: \
    the caller reads the results before they exist, and the pool's threads stay alive, idle, \
    until the program ends.
    """)
code(
    swift: """
        func startDownloads(_ urls: [String]) throws {
            let pool = try ThreadPoolExecutor(maxWorkers: 4)
            keptPools.append(pool)
            for url in urls {
                try pool.submit { pages.append(...) }
            }
        }   // no shutdown, no waiting
        """,
    python: """
        def start_downloads(urls):
            ex = ThreadPoolExecutor(4)
            kept_pools.append(ex)
            for url in urls:
                ex.submit(...)
            # no shutdown, no waiting
        """)
let keptPools = LockedValue<[ThreadPoolExecutor]>([])
let downloadedPages = LockedValue<[Int]>([])

func startDownloads(_ urls: [String]) throws {
    let pool = try ThreadPoolExecutor(maxWorkers: 4, threadNamePrefix: "forgotten")
    keptPools.withLock { $0.append(pool) }
    for url in urls {
        try pool.submit {
            let size = try download(url).count
            downloadedPages.withLock { $0.append(size) }
        }
    }
}

func downloadAll(_ urls: [String]) throws -> [Int] {
    try withThreadPool(maxWorkers: 4) { pool in
        try Array(pool.map(urls) { try download($0).count })
    }
}

let threadsBefore = processThreadCount()
try startDownloads(server.pageURLs(count: 4))
result("pages ready when startDownloads returned", "\(downloadedPages.withLock { $0.count }) of 4")
pause(pageDelay * 3)
result("pages ready \((pageDelay * 3).readable) later", "\(downloadedPages.withLock { $0.count }) of 4")
result("threads: before, long after the work was done", "\(threadsBefore), \(processThreadCount())")
let sizes = try downloadAll(server.pageURLs(count: 4))
result("with withThreadPool: pages ready on return", "\(sizes.count) of 4")
result("threads after it", "\(processThreadCount()) (the 4 forgotten workers are still idle)")
for pool in keptPools.withLock({ $0 }) { pool.shutdown() }
result("threads once the forgotten pool is shut down", "\(processThreadCount())")
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
    command: "swift run workbook check 12a",
    description: "fix a deadlocking pipeline so that it finishes on a small pool.")
exercise(
    command: "swift run workbook check 12b",
    description: "fix a racy counter so that every update counts.")
nextStep(command: "swift run lesson13")
