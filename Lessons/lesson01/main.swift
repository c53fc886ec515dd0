// Lesson 01 — Why pools
//
// Ten slow downloads from a local web server: first one after another on the main thread, then
// all at once on a thread pool. Same work, same results, a fraction of the wall time.
//
//   swift run lesson01            normal speed (about 3.5 s)
//   swift run lesson01 --fast     delays divided by 10
//   swift run lesson01 --help

import ConcurrentFutures
import LessonSupport

let info = LessonInfo(
    number: 1, title: "Why pools",
    summary: "Downloads ten slow pages from a local HTTP server, first one by one, then with a thread pool,\n"
        + "and draws both runs on one timeline.",
    extraOptions: [.positiveInteger("--workers", help: "size of the pool in the second run (default 10)")])
let options = LessonOptions.parseOrExit(info)
let pageCount = 10
let workerCount = options.integer("--workers", default: 10)
let pageDelay = options.scaled(.milliseconds(300))

/// Downloads one page. A plain blocking call: the calling thread waits until the reply is complete.
/// (A global function, not a closure in top-level code, so worker threads may call it: see lesson notes.)
func fetch(_ url: String) throws -> HTTPResponse {
    try HTTPClient.get(url, timeout: .seconds(10)).ensureSuccess()
}

lesson(info)
say("""
    A program that talks to the network spends most of its life waiting: for a connection, for \
    the other side to think, for bytes to cross the wire. While a thread waits it can do nothing \
    else. This lesson measures how much time that costs, then wins it back with a thread pool.
    """)

let server = try LocalHTTPServer(configuration: .init(pageSize: 4_096, pageDelay: pageDelay))
let urls = server.pageURLs(count: pageCount)

section("The setup")
say("""
    No internet needed: the lesson has just started its own web server at \(server.baseURL). \
    It answers `GET /page/N` with a 4 KB page after \(pageDelay.readable), like a sluggish API. \
    Every download below is real HTTP over a real socket.
    """)
code(
    swift: """
        func fetch(_ url: String) throws -> HTTPResponse {
            try HTTPClient.get(url).ensureSuccess()
        }
        """,
    python: """
        def fetch(url):
            with urlopen(url) as reply:
                return reply.read()
        """)

section("1. One page after another")
code(
    swift: """
        var pages: [HTTPResponse] = []
        for url in urls {
            pages.append(try fetch(url))
        }
        """,
    python: """
        pages = []
        for url in urls:
            pages.append(fetch(url))
        """)
let cpuBefore = Stopwatch.processCPUTime()
let sequentialClock = Stopwatch()
let (sequentialPages, sequentialSpans) = try TimelineSpan.recordSequentially(urls, worker: "main") { try fetch($0) }
let sequentialTime = sequentialClock.elapsed
let cpuUsed = Stopwatch.processCPUTime() - cpuBefore
result("wall time for \(pageCount) pages", sequentialTime.readable)
result("most requests the server saw at once", "\(server.statistics.peakConcurrentRequests)")
result("CPU time used meanwhile (client and server together)", cpuUsed.readable)
say("""
    About \(pageCount) × \(pageDelay.readable), as expected. And the CPU was almost idle: the main \
    thread spent nearly all of that time blocked inside `recv`, waiting for the server.
    """)

section("2. The same pages with a pool of \(workerCount) threads")
say("""
    A thread pool is a set of worker threads that stay alive and take tasks from a shared queue. \
    You hand it work and immediately get back a `Future`: a receipt for a result that may not \
    exist yet. `map` is the shortest way in: one task per input, results in input order.
    """)
code(
    swift: """
        let pages = try withThreadPool(maxWorkers: \(workerCount)) { pool in
            try Array(pool.map(urls, fetch))
        }
        """,
    python: """
        with ThreadPoolExecutor(max_workers=\(workerCount)) as ex:
            pages = list(ex.map(fetch, urls))
        """)
note("(The lesson also passes `observer: recorder.record`, so the pool reports when each task starts and ends.)")
server.resetStatistics()
let recorder = TaskEventRecorder()
let pooledClock = Stopwatch()
let pooledPages = try withThreadPool(maxWorkers: workerCount, threadNamePrefix: "worker", observer: recorder.record) { pool in
    try Array(pool.map(urls, fetch))
}
let pooledTime = pooledClock.elapsed
let pooledSpans = TimelineSpan.spans(from: recorder.events)
result("wall time for \(pageCount) pages", pooledTime.readable)
result("most requests the server saw at once", "\(server.statistics.peakConcurrentRequests)")
result("speed-up", Stopwatch.speedUp(from: sequentialTime, to: pooledTime))
result("same pages in the same order", pooledPages.map(\.body) == sequentialPages.map(\.body) ? "yes" : "NO")

section("3. The picture")
Timeline.print([
    TimelineSection("one by one, main thread", spans: sequentialSpans),
    TimelineSection("pool of \(workerCount) workers", spans: pooledSpans),
])
say("""
    Both runs are drawn on the same time scale. On the `main` row the downloads sit end to end, and \
    the `queue` row above it counts the pages still waiting their turn. In the pool, each worker \
    row took a page and the waits overlapped, so the whole batch took about as long as one page.
    """)

section("4. Why it works")
say("""
    The speed-up did not come from extra processors: this machine may have only a couple of cores, \
    yet \(workerCount) threads downloaded at once. A thread blocked on a socket uses no CPU; the \
    kernel wakes it when data arrives. For work that mostly waits (I/O-bound work), the useful \
    number of threads is how many waits you want to overlap, not how many cores you have. Work \
    that keeps the CPU busy is a different story, told in lesson 11.

    Why a pool rather than a fresh thread per download? Threads cost memory and system calls to \
    create; a pool pays that once and reuses them. It also caps how much runs at once, so a list \
    of ten thousand URLs does not become ten thousand simultaneous connections.
    """)
note("Try: swift run lesson01 --workers 2   (or 3, or 20) and watch the queue row and the wall time.")

server.stop()

takeaways([
    "Blocking I/O leaves a thread idle; overlapping many such waits is where the speed-up comes from.",
    "A thread pool is a fixed set of reusable worker threads fed from a queue of tasks.",
    "`pool.map(items, f)` is the pooled twin of a for loop and keeps the input order, like Python's `executor.map`.",
    "For I/O-bound work, size the pool by how many waits to overlap; workers beyond the number of tasks add nothing.",
    "`withThreadPool { }` (Python's `with ThreadPoolExecutor() as ex:`) shuts the pool down and waits for its workers on exit.",
])
nextStep(command: "swift run lesson02")
