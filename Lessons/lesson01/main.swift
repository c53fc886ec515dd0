// Lesson 01 — Why pools
//
// Ten slow downloads from a local web server: first one after another on the main thread, then
// all at once on a thread pool. Same work, same results, a fraction of the wall time.
// The code it shows is in Examples.swift.
//
//   swift run lesson01            normal speed (about 3.5 s)
//   swift run lesson01 --fast     delays divided by 10
//   swift run lesson01 --step     pause after each section (presenter mode)
//   swift run lesson01 --help

import ConcurrentFutures
import LessonSupport

let info = LessonInfo(
    number: 1, title: "Why pools",
    summary: "Downloads ten slow pages from a local HTTP server, first one by one, then with a thread pool,\n"
        + "and draws both runs on one timeline.",
    sections: ["The setup", "One page after another", "The same pages on a pool", "The picture", "Why it works"],
    extraOptions: [.positiveInteger("--workers", help: "size of the pool in the second run (default 10)")])
let options = LessonOptions.parseOrExit(info)
let pageCount = 10
let workerCount = options.integer("--workers", default: 10)
let pageDelay = options.scaled(.milliseconds(300))

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
    Every download below is real HTTP over a real socket, with this function (every lesson \
    shares it):
    """)
code(
    sharedSnippet: "fetch",
    python: """
        def fetch(url):
            with urlopen(url, timeout=10) as reply:
                return reply.read()
        """)

section("One page after another")
code(
    snippet: "one-by-one",
    python: """
        pages = []
        for url in urls:
            pages.append(fetch(url))
        """)
note("`mainRow.record` runs the download and notes when it started and ended, for the picture in section 4.")
let cpuBefore = Stopwatch.processCPUTime()
let sequentialClock = Stopwatch()
let mainRow = SpanRecorder(queued: true)  // every page is waiting from the start
let sequentialPages = try downloadOneByOne(urls, mainRow: mainRow)
let sequentialTime = sequentialClock.elapsed
let cpuUsed = Stopwatch.processCPUTime() - cpuBefore
result("wall time for \(pageCount) pages", sequentialTime.readable)
result("most requests the server saw at once", "\(server.statistics.peakConcurrentRequests)")
result("CPU time used meanwhile (client and server together)", cpuUsed.readable)
say("""
    About \(pageCount) × \(pageDelay.readable), as expected. And the CPU was almost idle: the main \
    thread spent nearly all of that time blocked inside `recv`, waiting for the server.
    """)

section("The same pages on a pool")
say("""
    A thread pool is a set of worker threads that stay alive and take tasks from a shared queue. \
    You hand it work and immediately get back a `Future`: a receipt for a result that may not \
    exist yet. `map` is the shortest way in: one task per input, results in input order. Here \
    the pool has \(workerCount) worker\(workerCount == 1 ? "" : "s").
    """)
code(
    snippet: "pool",
    python: """
        with ThreadPoolExecutor(max_workers=workers,
                thread_name_prefix="worker") as ex:
            pages = list(ex.map(fetch, urls))
        """)
note("The pool calls `recorder.record` when each task starts and ends: that is where the picture comes from.")
server.resetStatistics()
let recorder = TaskEventRecorder()
let pooledClock = Stopwatch()
let pooledPages = try downloadOnPool(urls, workers: workerCount, recorder: recorder)
let pooledTime = pooledClock.elapsed
result("wall time for \(pageCount) pages", pooledTime.readable)
result("most requests the server saw at once", "\(server.statistics.peakConcurrentRequests)")
result("speed-up", Stopwatch.speedUp(from: sequentialTime, to: pooledTime))
result("same pages in the same order", pooledPages.map(\.body) == sequentialPages.map(\.body) ? "yes" : "NO")

section("The picture")
Timeline.print([
    TimelineSection("one by one, main thread", spans: mainRow.spans),
    TimelineSection("pool of \(workerCount) worker\(workerCount == 1 ? "" : "s")", spans: TimelineSpan.spans(from: recorder.events)),
])
say("""
    Both runs are drawn on the same time scale. On the `main` row the downloads sit end to end, and \
    the `queue` row above it counts the pages still waiting their turn. In the pool, each worker \
    row took a page and the waits overlapped, so the whole batch took about as long as \
    \(workerCount >= pageCount ? "one page" : "\((pageCount + workerCount - 1) / workerCount) pages in a row").
    """)

section("Why it works")
say("""
    The speed-up did not come from extra processors: this machine has \(usableCoreCount()) \
    core\(usableCoreCount() == 1 ? "" : "s") for this program, yet \(workerCount) threads \
    downloaded at once. A thread blocked on a socket uses no CPU; the kernel wakes it when data \
    arrives. For work that mostly waits (I/O-bound work), the useful number of threads is how \
    many waits you want to overlap, not how many cores you have. Work that keeps the CPU busy is \
    a different story, told in lesson 11.

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
