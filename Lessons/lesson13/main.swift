// Lesson 13 — Monitoring
//
// Seeing what a pool is doing while it works: a progress bar fed by done-callbacks, the pool's
// own statistics sampled while a batch runs, a log written by the pool's observer (and the
// numbers it yields), and a huge input processed in bounded batches so that memory stays flat.
//
//   swift run lesson13            normal speed (about 4 s)
//   swift run lesson13 --fast     delays divided by 10, a smaller input
//   swift run lesson13 --help

import ConcurrentFutures
import SystemPlatform
import LessonSupport

let info = LessonInfo(
    number: 13, title: "Monitoring",
    summary: "A progress bar, pool statistics sampled while downloads run, a log written by the pool's\n"
        + "observer, and a large log file processed in bounded batches (map with bufferSize).")
let options = LessonOptions.parseOrExit(info)
let unit = options.scaled(.milliseconds(50))

// MARK: - The code the lesson runs

/// Downloads one page and returns its size. A 4xx or 5xx reply throws.
func fetch(_ url: String) throws -> Int {
    try HTTPClient.get(url, timeout: .seconds(10)).ensureSuccess().body.count
}

/// The URL of page `index`, slower or faster depending on the page (1 to 5 units of delay),
/// and failing with a 500 when `failing` says so.
func pageURL(_ server: LocalHTTPServer, _ index: Int, failing: Bool = false) -> String {
    let delay = Int(unit.inMilliseconds) * (1 + (index * 7) % 5)
    return server.url("/page/\(index)?delay=\(delay)" + (failing ? "&status=500" : ""))
}

/// Sleeps the calling thread.
func pause(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

/// Milliseconds with one decimal, right-aligned: "  12.3".
func milliseconds(_ duration: Duration, width: Int = 7) -> String {
    let tenths = Int((duration.inMilliseconds * 10).rounded())
    let text = "\(tenths / 10).\(tenths % 10)"
    return String(repeating: " ", count: max(0, width - text.count)) + text
}

/// Prints one row of a small table, each column padded to its width.
func row(_ cells: [String], widths: [Int]) {
    var line = "  "
    for (cell, width) in zip(cells, widths) {
        line += String(repeating: " ", count: max(0, width - cell.count)) + cell
    }
    print(line)
}

/// A log file that any thread may append lines to: each line is one `write` to a file opened
/// with `O_APPEND`, so lines from different threads never mix.
final class LogFile: Sendable {
    let path: String
    private let descriptor: Int32
    private let start = ContinuousClock.now

    init(path: String) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        precondition(descriptor >= 0, "cannot create \(path)")
    }

    deinit { close(descriptor) }

    /// Appends one line, stamped with the time `at` (milliseconds since the log was opened).
    func write(_ message: String, at time: ContinuousClock.Instant = .now) {
        let line = Array("+\(milliseconds(time - start)) ms  \(message)\n".utf8)
        _ = line.withUnsafeBytes { SystemPlatform.write(descriptor, $0.baseAddress, $0.count) }
    }

    /// The pool's observer: one line per event, stamped with the event's own time.
    @Sendable func record(_ event: TaskEvent) {
        let task = "task \(event.taskID)" + (event.label.map { " (\($0))" } ?? "")
        switch event.kind {
        case .submitted: write("\(task) submitted", at: event.time)
        case .started(let worker): write("\(task) started on \(worker)", at: event.time)
        case .finished(.returned): write("\(task) finished", at: event.time)
        case .finished(.threw(let error)): write("\(task) FAILED: \(error)", at: event.time)
        case .finished(.cancelled): write("\(task) cancelled", at: event.time)
        }
    }
}

/// The lines of the file at `path`, read lazily in 64 KB blocks. `linesRead` counts how many
/// have been handed out so far, so the lesson can see how far ahead of the work the reading is.
struct FileLines: Sequence {
    let path: String
    var linesRead = LockedValue(0)

    func makeIterator() -> Iterator { Iterator(path: path, linesRead: linesRead) }

    final class Iterator: IteratorProtocol {
        private let descriptor: Int32
        private let linesRead: LockedValue<Int>
        private var buffer: [UInt8] = []
        private var position = 0
        private var atEnd = false

        init(path: String, linesRead: LockedValue<Int>) {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            self.linesRead = linesRead
            atEnd = descriptor < 0
        }

        deinit { if descriptor >= 0 { close(descriptor) } }

        func next() -> String? {
            while true {
                if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[position..<newline], as: UTF8.self)
                    position = newline + 1
                    linesRead.withLock { $0 += 1 }
                    return line
                }
                if atEnd { return nil }
                buffer.removeFirst(position)
                position = 0
                var block = [UInt8](repeating: 0, count: 65_536)
                let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count <= 0 { atEnd = true } else { buffer += block[..<count] }
            }
        }
    }
}

/// One line of the access log, parsed, with the client's address replaced by a pseudonym.
struct LogEntry: Sendable {
    var client: UInt64
    var status: Int
    var bytes: Int
}

/// Parses `10.0.3.17 - "GET /page/12 HTTP/1.1" 200 4096`: the client address, made anonymous
/// with a deliberately slow keyed hash (the real CPU work of each line), then the status and
/// the size at the end.
func parseLogLine(_ line: String) -> LogEntry {
    let fields = line.split(separator: " ")
    guard fields.count >= 3, let status = Int(fields[fields.count - 2]), let bytes = Int(fields[fields.count - 1]) else {
        return LogEntry(client: 0, status: 0, bytes: 0)
    }
    var pseudonym: UInt64 = 0x9E37_79B9_7F4A_7C15
    for _ in 0..<20 {
        for byte in fields[0].utf8 { pseudonym = (pseudonym ^ UInt64(byte)) &* 0x100_0000_01B3 }
    }
    return LogEntry(client: pseudonym, status: status, bytes: bytes)
}

/// Writes an access log of `count` lines to `path`.
func writeAccessLog(_ path: String, lines count: Int) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    precondition(descriptor >= 0, "cannot create \(path)")
    defer { close(descriptor) }
    var text: [UInt8] = []
    var seed: UInt64 = 42
    for index in 0..<count {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let roll = Int(seed >> 33)
        let status = roll % 50 == 0 ? 500 : (roll % 10 == 0 ? 404 : 200)
        let size = status == 200 ? 1_000 + roll % 9_000 : 120
        text += "10.0.\(index % 256).\(roll % 256) - \"GET /page/\(roll % 1000) HTTP/1.1\" \(status) \(size)\n".utf8
        if text.count > 1 << 20 {
            _ = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            text.removeAll(keepingCapacity: true)
        }
    }
    _ = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}

// MARK: - The lesson

lesson(info)
say("""
    A pool that runs for more than a moment should tell you how it is doing: how far along it \
    is, what is queued, what is failing, how long tasks wait. Without that, a slow batch and a \
    stuck one look the same. This lesson adds each kind of instrument in turn.
    """)
let server = try LocalHTTPServer(configuration: .init(pageSize: 2_048))
let folder: String = {
    var template = Array("/tmp/lesson13-XXXXXX".utf8CString)
    guard let path = mkdtemp(&template) else { fatalError("mkdtemp failed") }
    return String(cString: path)
}()
print()
say("""
    Downloads come from the lesson's server at \(server.baseURL), each taking between \
    \(unit.readable) and \((unit * 5).readable); files go to \(folder).
    """)

section("1. A progress bar")
let barCount = 40
say("""
    \(barCount) downloads on a pool of 8. Each future gets a done-callback that advances the bar. \
    Callbacks run on the worker thread that finished the task, so the bar must be safe to \
    advance from any thread (`ProgressBar` is). In Python, the usual tool is `tqdm`, advanced \
    from an `as_completed` loop.
    """)
code(
    swift: """
        let bar = ProgressBar(total: urls.count)
        for url in urls {
            let f = try pool.submit { try fetch(url) }
            f.addDoneCallback { _ in bar.advance() }
        }
        """,
    python: """
        with tqdm(total=len(urls)) as bar:
            fs = [ex.submit(fetch, u) for u in urls]
            for f in as_completed(fs):
                bar.update(1)
        """)
let barClock = Stopwatch()
let bar = ProgressBar(total: barCount, title: "downloading")
let barSizes = try withThreadPool(maxWorkers: 8) { pool in
    let futures = try (0..<barCount).map { index in
        let url = pageURL(server, index)
        let future = try pool.submit { try fetch(url) }
        future.addDoneCallback { _ in bar.advance() }
        return future
    }
    return try futures.map { try $0.result() }
}
bar.finish()
result("\(barSizes.count) pages", "\(barSizes.reduce(0, +)) bytes in \(barClock.elapsed.readable)")
note("On a terminal the bar redraws itself in place; in a pipe or a log it prints a line every 10 %.")

section("2. The pool's own statistics")
say("""
    `pool.statistics` is a snapshot of the pool's counters, cheap enough to read in a loop. \
    The main thread below samples it every \((unit * 2).readable) while 30 downloads run on \
    6 workers; every seventh download fails on the server.
    """)
code(
    swift: """
        while !futures.allSatisfy(\\.isDone) {
            print(pool.statistics)
            sleep(...)
        }
        """,
    python: """
        # no public counters: count them yourself
        # with done-callbacks (exercise 13a)
        """)
let widths = [9, 8, 9, 11, 8, 9]
row(["time ms", "queued", "running", "completed", "failed", "workers"], widths: widths)
let statisticsClock = Stopwatch()
let (finalStatistics, failures) = try withThreadPool(maxWorkers: 6) { pool in
    let futures = try (0..<30).map { index in
        let url = pageURL(server, index, failing: index % 7 == 6)
        return try pool.submit { try fetch(url) }
    }
    while true {
        let snapshot = pool.statistics
        row([milliseconds(statisticsClock.elapsed, width: 0), "\(snapshot.queued)", "\(snapshot.running)",
             "\(snapshot.completed)", "\(snapshot.failed)", "\(snapshot.liveWorkers)"], widths: widths)
        if futures.allSatisfy(\.isDone) { break }
        pause(unit * 2)
    }
    let failures = futures.compactMap { try? $0.exception() }.count  // look at every outcome
    return (pool.statistics, failures)
}
print()
result("pool.statistics at the end", "completed \(finalStatistics.completed), failed \(finalStatistics.failed)")
result("failed futures found by looking at each one", "\(failures)")
say("""
    At first 6 tasks run and the rest queue; the queue drains as workers free up; failures are \
    counted as they happen, not discovered at the end. `submitted`, `cancelled` and `idleWorkers` \
    are there too. Python has no such counters: its classic answer is a wrapper around the \
    executor that counts with done-callbacks, which is this lesson's exercise.
    """)

section("3. A log from the pool's observer")
say("""
    Every pool takes an `observer`: a function it calls when a task is submitted, starts (with \
    the worker's name) and finishes (returned, threw, or cancelled), with a timestamp. Writing \
    those events to a log file gives a record you can read after the fact, or follow live with \
    `tail -f`. Here 6 downloads run on 3 workers, one of them failing.
    """)
code(
    swift: """
        let log = LogFile(path: folder + "/pool.log")
        let pool = try ThreadPoolExecutor(
            maxWorkers: 3, observer: log.record)
        """,
    python: """
        # Python has no hook: log from the task
        # itself, or from a done-callback
        logging.basicConfig(filename="pool.log")
        """)
let log = LogFile(path: folder + "/pool.log")
let logRecorder = TaskEventRecorder()
try withThreadPool(maxWorkers: 3, threadNamePrefix: "worker", observer: { event in
    log.record(event)
    logRecorder.record(event)
}) { pool in
    let futures = try (0..<6).map { index in
        let url = pageURL(server, index, failing: index == 4)
        return try pool.submit(label: "page \(index)") { try fetch(url) }
    }
    _ = try wait(futures)
    for future in futures { _ = try future.exception() }  // every outcome looked at
}
let logBytes: [UInt8] = {
    let descriptor = open(log.path, O_RDONLY | O_CLOEXEC)
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: 65_536)
    let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    return Array(bytes[..<max(0, count)])
}()
let logLines = String(decoding: logBytes, as: UTF8.self).split(separator: "\n")
print("  " + Terminal.paint(log.path, .dim))
for line in logLines { print("  " + Terminal.paint("│ ", .dim) + line) }
print()
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

section("4. A huge input in bounded batches: back-pressure")
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
    swift: """
        let lines = FileLines(path: path)
        let entries = try pool.map(lines, chunkSize: 100,
                                   bufferSize: 8, parseLogLine)
        while let entry = try entries.next() { ... }
        """,
    python: """
        with open(path) as lines:
            entries = ex.map(parse_log_line, lines,
                             buffersize=8)  # 3.14+
            for entry in entries: ...
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
    try withThreadPool(maxWorkers: ProcessPoolExecutor.defaultMaxWorkers) { pool in
        let entries = try pool.map(FileLines(path: accessLogPath, linesRead: linesRead), chunkSize: 100, bufferSize: bufferSize, parseLogLine)
        var consumed = 0
        while let entry = try entries.next() {
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
    var line = "  "
    for (index, (cell, width)) in zip(cells, batchWidths).enumerated() {
        line += index == 0
            ? cell + String(repeating: " ", count: max(1, width - cell.count))
            : String(repeating: " ", count: max(1, width - cell.count)) + cell
    }
    print(line)
}
batchRow(["", "bufferSize: 8", "no buffer"])
batchRow(["first result after", bounded.firstResultAfter.readable, unbounded.firstResultAfter.readable])
batchRow(["most lines held in memory", "\(bounded.mostLinesInMemory)", "\(unbounded.mostLinesInMemory)"])
batchRow(["most tasks waiting in the queue", "\(bounded.peakQueued)", "\(unbounded.peakQueued)"])
batchRow(["total time", bounded.time.readable, unbounded.time.readable])
print()
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

server.stop()
unlink(accessLogPath)
unlink(log.path)
rmdir(folder)

takeaways([
    "Feed a `ProgressBar` (Python: `tqdm`) from done-callbacks or from an `asCompleted` loop; it must be safe to call from any thread.",
    "`pool.statistics` gives submitted, queued, running, completed, failed, cancelled and worker counts at any moment.",
    "An `observer` sees every task's submitted, started and finished events: write them to a log and compute waits and run times from them.",
    "Watch the queue: long waits mean too few workers or too much submitted at once.",
    "For huge or endless inputs use `map(..., bufferSize:)`: bounded memory, results from the start (back-pressure).",
])
exercise(
    command: "swift run workbook check 13a",
    description: "A monitored pool: wrap an executor so that it counts submitted, running, completed and failed tasks, safely from any thread.")
nextStep(command: "swift run lesson14")
