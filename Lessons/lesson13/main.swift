// Lesson 13 — Monitoring
//
// Seeing what a pool is doing while it works: a progress bar fed by done-callbacks, the pool's
// own statistics sampled while a batch runs, a log written by the pool's observer (and the
// numbers it yields), a huge input processed in bounded batches so that memory stays flat, and
// fixed-size batches drained with asCompleted set beside the sliding window of bufferSize.
// The code it shows is in Examples.swift.
//
//   swift run lesson13            normal speed (about 4 s)
//   swift run lesson13 --fast     delays divided by 10, a smaller input
//   swift run lesson13 --step     pause after each section (presenter mode)
//   swift run lesson13 --help

import ConcurrentFutures
import LessonSupport
import SystemPlatform  // open, read, unlink

let info = LessonInfo(
    number: 13, title: "Monitoring",
    summary: "A progress bar, pool statistics sampled while downloads run, a log written by the pool's\n"
        + "observer, a large log file processed with a bounded buffer (back-pressure), and fixed-size\n"
        + "batches set beside a sliding window.",
    sections: [
        "A progress bar", "The pool's own statistics", "A log from the pool's observer",
        "A huge input in bounded batches: back-pressure", "Fixed-size batches, or a sliding window",
    ])
let options = LessonOptions.parseOrExit(info)
let unit = options.scaled(.milliseconds(50))

/// The URL of page `index`, slower or faster depending on the page (1 to 5 units of delay),
/// and failing with a 500 when `failing` says so.
func pageURL(_ server: LocalHTTPServer, _ index: Int, failing: Bool = false) -> String {
    let delay = Int(unit.inMilliseconds) * (1 + (index * 7) % 5)
    return server.url("/page/\(index)?delay=\(delay)" + (failing ? "&status=500" : ""))
}

lesson(info)
say("""
    A pool that runs for more than a moment should tell you how it is doing: how far along it \
    is, what is queued, what is failing, how long tasks wait. Without that, a slow batch and a \
    stuck one look the same. This lesson adds each kind of instrument in turn.
    """)
let server = try LocalHTTPServer(configuration: .init(pageSize: 2_048))
let folder = makeTemporaryFolder("lesson13")
say("""
    Downloads come from the lesson's server at \(server.baseURL), each taking between \
    \(unit.readable) and \((unit * 5).readable); files go to \(folder).
    """)

section("A progress bar")
let barCount = 40
say("""
    \(barCount) downloads on a pool of 8. Each future gets a done-callback that advances the bar. \
    Callbacks run on the worker thread that finished the task, so the bar must be safe to \
    advance from any thread (`ProgressBar` is). In Python, the usual tool is `tqdm`, advanced \
    from an `as_completed` loop.
    """)
code(
    snippet: "progress",
    python: """
        with tqdm(total=len(urls)) as bar:
            futures = [ex.submit(fetch_size, u) for u in urls]
            for f in futures:
                f.add_done_callback(lambda _: bar.update(1))
            sizes = [f.result() for f in futures]
        """)
let (barSizes, barTime) = try Stopwatch.measure {
    try withThreadPool(maxWorkers: 8) { pool in
        try downloadWithProgress((0..<barCount).map { pageURL(server, $0) }, on: pool)
    }
}
result("\(barSizes.count) pages", "\(barSizes.reduce(0, +)) bytes in \(barTime.readable)")
note("On a terminal the bar redraws itself in place; in a pipe or a log it prints a line every 10 %.")

section("The pool's own statistics")
say("""
    `pool.statistics` is a snapshot of the pool's counters, cheap enough to read in a loop. \
    The main thread below samples it every \((unit * 2).readable) while 30 downloads run on \
    6 workers; every seventh download fails on the server.
    """)
code(
    snippet: "statistics",
    python: """
        # Python's executors keep no public counters:
        # wrap the executor and count them yourself
        # (exercise 13a).
        """)
let widths = [9, 8, 9, 11, 8, 9]
tableRow(["time ms", "queued", "running", "completed", "failed", "workers"], widths: widths)
let statisticsClock = Stopwatch()
let (finalStatistics, failures) = try withThreadPool(maxWorkers: 6) { pool in
    let futures = try (0..<30).map { index in
        let url = pageURL(server, index, failing: index % 7 == 6)
        return try pool.submit { try fetch(url).body.count }
    }
    sampleStatistics(of: pool, while: futures, every: unit * 2) { snapshot in
        tableRow([milliseconds(statisticsClock.elapsed, width: 0), "\(snapshot.queued)", "\(snapshot.running)",
                  "\(snapshot.completed)", "\(snapshot.failed)", "\(snapshot.liveWorkers)"], widths: widths)
    }
    let failures = futures.compactMap { try? $0.exception() }.count  // look at every outcome
    return (pool.statistics, failures)
}
show("")
result("pool.statistics at the end", "completed \(finalStatistics.completed), failed \(finalStatistics.failed)")
result("failed futures found by looking at each one", "\(failures)")
say("""
    At first 6 tasks run and the rest queue; the queue drains as workers free up; failures are \
    counted as they happen, not discovered at the end. `submitted`, `cancelled` and `idleWorkers` \
    are there too. Python has no such counters: its classic answer is a wrapper around the \
    executor that counts them itself, which is this lesson's first exercise. (Such a wrapper \
    counts inside a closure wrapped around each task, so the counts are right the moment a \
    result is; a done-callback runs a moment after, and only the cancelled tasks, which never \
    run, need one.)
    """)

section("A log from the pool's observer")
say("""
    Every pool takes an `observer`: a function it calls when a task is submitted, starts (with \
    the worker's name) and finishes (returned, threw, or cancelled), with a timestamp. Writing \
    those events to a log file gives a record you can read after the fact, or follow live with \
    `tail -f`. Here 6 downloads run on 3 workers, one of them failing. (`log.record` writes one \
    line per event; `recorder.record` keeps the events for the numbers below.)
    """)
code(
    snippet: "observer",
    python: """
        # Python has no hook: log from the task
        # itself, or from a done-callback
        logging.basicConfig(filename="pool.log")
        """)
let log = LogFile(path: folder + "/pool.log")
let logRecorder = TaskEventRecorder()
try downloadWithALog((0..<6).map { pageURL(server, $0, failing: $0 == 4) }, log: log, recorder: logRecorder)
let logBytes: [UInt8] = {
    let descriptor = open(log.path, O_RDONLY | O_CLOEXEC)
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: 65_536)
    let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    return Array(bytes[..<max(0, count)])
}()
let logLines = String(decoding: logBytes, as: UTF8.self).split(separator: "\n")
show("  " + Terminal.paint(log.path, [.dim], enabled: Terminal.isColorEnabled))
for line in logLines { show("  " + Terminal.paint("│ ", [.dim], enabled: Terminal.isColorEnabled) + line) }
show("")
/// Whether some line of the log is stamped earlier than the line above it.
let outOfOrder = zip(logLines, logLines.dropFirst()).contains { above, below in
    let stamp = { (line: Substring) in Double(line.dropFirst().prefix { $0 != "m" }.filter { $0 != " " }) ?? 0 }
    return stamp(below) < stamp(above)
}
if outOfOrder {
    note("""
        Look closely: a line can be stamped a little earlier than the line above it. Events come \
        from several threads, and the thread that submitted a task may report "submitted" just \
        after a worker has already reported "started". Each line carries the event's own time: \
        sort by it when the order matters.
        """)
}
let spans = TimelineSpan.spans(from: logRecorder.events)
if let longestWait = spans.max(by: { $0.queueWait < $1.queueWait }),
   let slowest = spans.max(by: { $0.runTime < $1.runTime })
{
    let averageWait = spans.map(\.queueWait).reduce(.zero, +) / spans.count
    result("average wait in the queue", averageWait.readable)
    result("longest wait in the queue", "\(longestWait.label), \(longestWait.queueWait.readable)")
    result("slowest task", "\(slowest.label), \(slowest.runTime.readable)")
}
say("""
    The same events answer the questions monitoring is for: are tasks waiting long for a worker \
    (add workers), is one kind of task slow (look at it), what failed, when, and where. The \
    observer runs on the pool's threads, so keep it quick: append a line, bump a counter.
    """)

section("A huge input in bounded batches: back-pressure")
let logLineCount = options.fast ? 2_000 : 20_000
let accessLogPath = folder + "/access.log"
writeAccessLog(accessLogPath, lines: logLineCount)
say("""
    `map` submits a task for every input before it returns a single result. For a list of 40 \
    URLs that is fine. For a log file of \(logLineCount) lines (written to \(accessLogPath)) \
    it means reading the whole file and queueing every task before the first result comes out. \
    With `bufferSize`, `map` keeps only that many tasks ahead of you and reads more input as you \
    consume results: the reader is held back to the pace of the workers (back-pressure). Both \
    runs below send chunks of 100 lines per task; each line's client address is hashed to \
    make it anonymous, which is the CPU work.
    """)
code(
    snippet: "buffer",
    python: """
        with open(path) as lines:
            entries = ex.map(parse_log_line, lines,
                             buffersize=buffer_size)  # 3.14+
            for entry in entries:
                consume(entry)
        """)

struct BatchReport {
    var firstResultAfter = Duration.zero
    var peakQueued = 0
    var statusCounts: [Int: Int] = [:]
    var bytes = 0
    var time = Duration.zero
    /// The most lines that had been read but whose results were not consumed yet.
    var mostLinesInMemory = 0
}

/// Processes the access log with `map`, with or without a buffer, and reports what it saw.
func processAccessLog(bufferSize: Int?) throws -> BatchReport {
    var report = BatchReport()
    let linesRead = LockedValue(0)
    let clock = Stopwatch()
    try withThreadPool(maxWorkers: usableCoreCount()) { pool in
        var consumed = 0
        try processLog(FileLines(path: accessLogPath, linesRead: linesRead), bufferSize: bufferSize, on: pool) { entry in
            if consumed == 0 { report.firstResultAfter = clock.elapsed }
            if consumed % 100 == 0 {
                report.peakQueued = max(report.peakQueued, pool.statistics.queued)
                report.mostLinesInMemory = max(report.mostLinesInMemory, linesRead.withLock { $0 } - consumed)
            }
            report.statusCounts[entry.status, default: 0] += 1
            report.bytes += entry.bytes
            consumed += 1
        }
    }
    report.time = clock.elapsed
    return report
}

let bounded = try processAccessLog(bufferSize: 8)
let unbounded = try processAccessLog(bufferSize: nil)
let batchWidths = [34, 14, 14]
func batchRow(_ cells: [String]) {
    tableRow(cells, widths: batchWidths)
}
batchRow(["", "bufferSize: 8", "no buffer"])
batchRow(["first result after", bounded.firstResultAfter.readable, unbounded.firstResultAfter.readable])
batchRow(["most lines held in memory", "\(bounded.mostLinesInMemory)", "\(unbounded.mostLinesInMemory)"])
batchRow(["most tasks waiting in the queue", "\(bounded.peakQueued)", "\(unbounded.peakQueued)"])
batchRow(["total time", bounded.time.readable, unbounded.time.readable])
show("")
let sameAnswer = bounded.statusCounts == unbounded.statusCounts && bounded.bytes == unbounded.bytes
let statusSummary = bounded.statusCounts.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", ")
result("both runs counted", sameAnswer ? statusSummary : "DIFFERENT ANSWERS")
say("""
    Same answer, very different footprints. Without a buffer, all \(logLineCount) lines were \
    read and queued before the first result, so the whole file sat in memory at once; with \
    `bufferSize: 8` the reader stayed about 8 chunks ahead of the consumer. That bound does not \
    grow with the file: a log of a billion lines would need no more memory, and its results \
    would start just as soon. The price, if any, is in the total time: with a small buffer \
    the workers can run dry while the main thread is busy reading or consuming, and a larger \
    `bufferSize` buys that back with a little memory. Use a buffer for big files, database \
    cursors, endless streams: anything you would not load into a list.
    """)

section("Fixed-size batches, or a sliding window")
let batchSize = 4
let batchDelays = (0..<12).map { options.scaled(.milliseconds($0 % 4 == 3 ? 240 : 60)) }
let batchURLs = batchDelays.enumerated().map { server.url("/page/\($0.offset)?delay=\(Int($0.element.inMilliseconds))") }
say("""
    A common way to keep a long job within bounds, in Python tutorials as elsewhere: cut the \
    input into batches of N, submit a batch, drain it with `asCompleted`, then submit the next. \
    Never more than N tasks at once, as with `bufferSize: N`. But a batch is as slow as its \
    slowest task, and while that one runs, the other workers sit idle. Twelve pages on a pool \
    of \(batchSize), in batches of \(batchSize); every fourth page takes \(batchDelays[3].readable), the \
    others \(batchDelays[0].readable).
    """)
code(
    snippets: ["batches", "window"],
    python: """
        for start in range(0, len(urls), batch_size):
            batch = [ex.submit(fetch, url)
                     for url in urls[start:start + batch_size]]
            for future in as_completed(batch):
                handle(future.result())

        # Python 3.14:
        for page in ex.map(fetch, urls,
                           buffersize=batch_size):
            handle(page)
        """)
let batchRecorder = TaskEventRecorder()
let windowRecorder = TaskEventRecorder()
var handledInBatches = 0
var handledInWindow = 0
let (_, batchesTime) = try Stopwatch.measure {
    try withThreadPool(maxWorkers: batchSize, threadNamePrefix: "worker", observer: batchRecorder.record) { pool in
        try fetchInBatches(batchURLs, batchSize: batchSize, on: pool) { _ in handledInBatches += 1 }
    }
}
let (_, windowTime) = try Stopwatch.measure {
    try withThreadPool(maxWorkers: batchSize, threadNamePrefix: "worker", observer: windowRecorder.record) { pool in
        try fetchInAWindow(batchURLs, batchSize: batchSize, on: pool) { _ in handledInWindow += 1 }
    }
}
result("batches of \(batchSize) with asCompleted", "\(handledInBatches) pages in \(batchesTime.readable)")
result("map with bufferSize: \(batchSize)", "\(handledInWindow) pages in \(windowTime.readable)")
Timeline.print([
    TimelineSection("batches of \(batchSize), each drained with asCompleted", spans: TimelineSpan.spans(from: batchRecorder.events)),
    TimelineSection("a sliding window: map(urls, bufferSize: \(batchSize))", spans: TimelineSpan.spans(from: windowRecorder.events)),
])
let windowQueued = TimelineSpan.spans(from: windowRecorder.events).contains { $0.queueWait > batchDelays[0] / 4 }
let queueRemark = windowQueued
    ? ", one more than there are workers, which is why its queue row shows a task waiting now and then"
    : ""
say("""
    In the batches, each slow page (3, 7, 11) holds its batch back: the three other workers \
    finish early and wait, idle, for the next batch to be submitted. The window tops itself up \
    as results are taken, so a worker that finishes usually gets the next page at once; it \
    still takes results in input order, so a slow page at the front of the window holds back \
    the top-ups behind it, but the work no longer moves in lock step. Both bound the work in \
    flight: the batches to \(batchSize) tasks, the window to \(batchSize + 1) (`bufferSize` tasks ahead \
    of the one the loop waits for, as in Python 3.14)\(queueRemark). Exercise 13b asks for such a \
    bound without the in-order wait.
    """)
note("The whole Python original of both programs is in the lesson's notes, Lessons/lesson13/README.md.")

server.stop()
unlink(accessLogPath)
unlink(log.path)
removeTree(folder)

takeaways([
    "Feed a `ProgressBar` (Python: `tqdm`) from done-callbacks or from an `asCompleted` loop; it must be safe to call from any thread.",
    "`pool.statistics` gives submitted, queued, running, completed, failed, cancelled and worker counts at any moment.",
    "An `observer` sees every task's submitted, started and finished events: write them to a log and compute waits and run times from them.",
    "Watch the queue: long waits mean too few workers or too much submitted at once.",
    "For huge or endless inputs use `map(..., bufferSize:)`: bounded memory, results from the start (back-pressure).",
    "Fixed-size batches drained with `asCompleted` idle every worker until a batch's slowest task ends; a sliding window keeps them busy.",
])
exercise(
    id: "13a",
    description: "Wrap an executor and count its submitted, running, completed, failed and cancelled tasks, "
        + "exactly and on time, safely from any thread.")
exercise(
    id: "13b",
    description: "Process a huge lazy stream of records on a pool with at most `maxInFlight` of them in "
        + "flight; stop at the first error.")
nextStep(command: "swift run lesson14")
