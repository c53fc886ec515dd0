// Lesson 11 — Process pools
//
// The same CPU-bound job done one by one, on a thread pool and on a process pool, measured on
// this machine. Why Swift threads already run in parallel (there is no GIL), and what worker
// processes still give you: a crash that the parent survives, fresh workers with
// `maxTasksPerChild`, memory that goes away with its process. Then the rules processes impose:
// registered tasks with encodable inputs (Python's pickling rule), messages that cost time
// (chunking), and the entry-point guard (Python's `if __name__ == "__main__":`).
//
//   swift run lesson11            normal speed (about 4 s)
//   swift run lesson11 --fast     less computation
//   swift run lesson11 --help

import ConcurrentFutures
import SystemPlatform
import LessonSupport

// MARK: - The tasks worker processes can run
//
// Everything a worker needs is declared *above* the entry-point guard: in a worker, the guard
// never returns, so the lesson's own code below it never runs there.

/// A range of numbers whose primes to count. `Codable`: it travels to the worker as bytes.
struct PrimeRange: Codable, Sendable {
    var lower: Int
    var upper: Int
}

/// Counts the primes in a range by trial division: pure CPU work.
func countPrimes(_ range: PrimeRange) -> Int {
    var count = 0
    for candidate in max(range.lower, 2)..<max(range.upper, 2) {
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

/// The prime counting, registered under the name "CountPrimes".
enum CountPrimes: ProcessTask {
    static func run(_ range: PrimeRange) -> Int { countPrimes(range) }
}

/// x → x²: a task far too small to be worth a message.
enum Square: ProcessTask {
    static func run(_ x: Int) -> Int { x * x }
}

/// A task that crashes its worker, the way a bug does: a failed precondition, a force-unwrapped
/// nil, an index out of range. Here: `fatalError`.
enum ParseCorruptRecord: ProcessTask {
    static func run(_ record: String) -> Int {
        guard let number = Int(record) else { fatalError("corrupt record: \(record)") }
        return number
    }
}

/// What a worker reports about itself.
struct WorkerReport: Codable, Sendable {
    var pid: Int32
    var residentMegabytes: Int
}

/// State that lives in one worker process: the addresses of blocks a buggy task never frees.
/// A static property, not a top-level variable: a worker never runs the lesson's top-level code.
enum WorkerMemory {
    static let leakedBlocks = LockedValue<[UInt]>([])
}

/// A leaky task: "parses" a file by loading `megabytes` of it into memory it never frees.
enum LeakyParse: ProcessTask {
    static func run(_ megabytes: Int) -> WorkerReport {
        let size = megabytes << 20
        if let block = malloc(size) {
            memset(block, 1, size)  // touch every page, so it really takes memory
            WorkerMemory.leakedBlocks.withLock { $0.append(UInt(bitPattern: block)) }
        }
        return WorkerReport(pid: getpid(), residentMegabytes: residentMegabytes())
    }
}

/// This process's resident memory, in MiB.
func residentMegabytes() -> Int {
    residentMemoryBytes() >> 20
}

/// An open file: meaningful in this process only. Encoding it fails, as pickling a file object
/// fails in Python.
struct OpenFile: Codable, Sendable {
    var descriptor: Int32
    init(descriptor: Int32) { self.descriptor = descriptor }
    init(from decoder: any Decoder) throws {
        descriptor = try decoder.singleValueContainer().decode(Int32.self)
    }
    func encode(to encoder: any Encoder) throws {
        throw EncodingError.invalidValue(self, EncodingError.Context(
            codingPath: encoder.codingPath,
            debugDescription: "an open file descriptor means nothing in another process"))
    }
}

/// Registered, but its input can never be sent.
enum ReadOpenFile: ProcessTask {
    static func run(_ file: OpenFile) -> Int { 0 }
}

/// Not in the list below: a pool cannot run it.
enum Unlisted: ProcessTask {
    static func run(_ x: Int) -> Int { x }
}

/// Every task this program's workers can run. The pools below are given the same list.
let lessonTasks: [any ProcessTask.Type] = [CountPrimes.self, Square.self, ParseCorruptRecord.self, LeakyParse.self, ReadOpenFile.self]

// MARK: - The entry-point guard
//
// Python: `if __name__ == "__main__":`. A worker is a fresh start of this very program; this
// call recognises it, serves the pool's calls, and exits. In the real run it returns at once.
ProcessPoolExecutor.runWorkerIfRequested(tasks: lessonTasks)

// MARK: - The lesson's own code (never runs in a worker)

let info = LessonInfo(
    number: 11, title: "Process pools",
    summary: "Counts primes one by one, on a thread pool and on a process pool, and compares; then a worker\n"
        + "crash the parent survives, maxTasksPerChild, the registration rule, chunking and the guard.")
let options = LessonOptions.parseOrExit(info)
let cores = ProcessPoolExecutor.defaultMaxWorkers

/// CPU time used so far by this process and by its children that have ended and been collected.
func cpuTime() -> Duration {
    resourceUsage(of: .currentProcess).cpu + resourceUsage(of: .collectedChildren).cpu
}

/// 1.83 as "1.8".
func oneDecimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

/// Runs `body` and returns its result, the wall time, and the CPU time of this process and of
/// the worker processes it collected meanwhile.
func measure<T>(_ body: () throws -> T) rethrows -> (result: T, wall: Duration, cpu: Duration) {
    let cpuBefore = cpuTime()
    let (value, wall) = try Stopwatch.measure(body)
    return (value, wall, cpuTime() - cpuBefore)
}

lesson(info)
say("""
    Lesson 01 showed that waiting overlaps well on threads. This lesson is about computing: work \
    that keeps a core busy the whole time. In Python that is where threads stop helping and \
    process pools come in. In Swift the story is different, and this lesson measures it on \
    your machine (\(cores) core\(cores == 1 ? "" : "s") available).
    """)

section("1. A program that is also its own worker")
say("""
    A process pool starts worker processes: fresh runs of this same program. So the program's \
    first line is a guard. In a worker, it serves the pool's calls and never returns; in the \
    real run, it returns at once and the lesson goes on. Everything a worker needs (the task \
    types, their helper functions) is declared above it.
    """)
code(
    swift: """
        enum CountPrimes: ProcessTask {
            static func run(_ r: PrimeRange) -> Int {
                countPrimes(r)
            }
        }
        let tasks: [any ProcessTask.Type] =
            [CountPrimes.self, ...]
        ProcessPoolExecutor
            .runWorkerIfRequested(tasks: tasks)
        // the program's own code from here on
        """,
    python: """
        def count_primes(r):
            ...

        if __name__ == "__main__":
            # the program's own code from here on
            main()
        """)

section("2. One job, three ways")
let pieceCount = 16
let pieceSize = options.fast ? 8_000 : 48_000
let ranges = (0..<pieceCount).map { PrimeRange(lower: $0 * pieceSize, upper: ($0 + 1) * pieceSize) }
say("""
    Counting the primes below \(pieceCount * pieceSize) by trial division, split into \
    \(pieceCount) ranges: the same function, run one range after another on the main thread, \
    on a thread pool of \(cores), and on a process pool of \(cores) (whose time includes \
    starting the workers).
    """)
code(
    swift: """
        let counts = ranges.map(countPrimes)

        try withThreadPool(maxWorkers: \(cores)) { pool in
            try Array(pool.map(ranges, countPrimes))
        }

        try withProcessPool(tasks: tasks,
                            maxWorkers: \(cores)) { pool in
            try Array(pool.map(CountPrimes.self, ranges))
        }
        """,
    python: """
        counts = list(map(count_primes, ranges))

        with ThreadPoolExecutor(\(cores)) as ex:
            counts = list(ex.map(count_primes,
                                 ranges))

        with ProcessPoolExecutor(\(cores)) as ex:
            counts = list(ex.map(count_primes,
                                 ranges))
        """)

/// One timed run: the counts, the wall time, the CPU time of every process involved.
typealias Run = (result: [Int], wall: Duration, cpu: Duration)

/// The run with the median wall time.
func median(_ runs: [Run]) -> Run {
    runs.sorted { $0.wall < $1.wall }[runs.count / 2]
}

// A busy machine makes single measurements noisy (and an idle core starts slowly), so the
// three ways take turns for three rounds after a warm-up, and each one's median is shown.
var sequentialRuns: [Run] = [], threadRuns: [Run] = [], processRuns: [Run] = []
var threadRecorder = TaskEventRecorder(), processRecorder = TaskEventRecorder()
_ = try withThreadPool(maxWorkers: cores) { pool in try Array(pool.map(ranges.prefix(cores), countPrimes)) }  // warm-up
for _ in 0..<3 {
    sequentialRuns.append(measure { ranges.map(countPrimes) })
    threadRecorder = TaskEventRecorder()
    threadRuns.append(try measure {
        try withThreadPool(maxWorkers: cores, threadNamePrefix: "thread", observer: threadRecorder.record) { pool in
            try Array(pool.map(ranges, countPrimes))
        }
    })
    processRecorder = TaskEventRecorder()
    processRuns.append(try measure {
        try withProcessPool(tasks: lessonTasks, maxWorkers: cores, workerOutput: .discard, observer: processRecorder.record) { pool in
            try Array(pool.map(CountPrimes.self, ranges))
        }
    })
}
let sequential = median(sequentialRuns), threaded = median(threadRuns), processed = median(processRuns)
let agree = (sequentialRuns + threadRuns + processRuns).allSatisfy { $0.result == sequential.result }
let widths = [24, 11, 10, 11, 13]
tableRow(["", "wall time", "speed-up", "CPU time", "cores busy"], widths: widths)
for (name, run) in [("one by one", sequential), ("thread pool of \(cores)", threaded), ("process pool of \(cores)", processed)] {
    tableRow([name, run.wall.readable, Stopwatch.speedUp(from: sequential.wall, to: run.wall), run.cpu.readable,
         oneDecimal(run.cpu / run.wall)], widths: widths)
}
print()
result("primes found", agree ? "\(sequential.result.reduce(0, +)), the same in every run" : "DIFFERENT ANSWERS")
note("""
    Medians of 3 rounds. "CPU time" adds up every core's work, worker processes included; \
    "cores busy" is CPU time divided by wall time. On a machine shared with other programs both \
    pools get less than \(cores) cores, and the speed-ups shrink with them. The last round of \
    each pool, drawn:
    """)
Timeline.print([
    TimelineSection("thread pool of \(cores)", spans: TimelineSpan.spans(from: threadRecorder.events)),
    TimelineSection("process pool of \(cores)", spans: TimelineSpan.spans(from: processRecorder.events)),
])

section("3. Why threads were enough")
let threadCoresBusy = threaded.cpu / threaded.wall
let coresEvidence = cores > 1 && threadCoresBusy < Double(cores) * 0.7
    ? "On an idle machine the thread pool's \"cores busy\" figure approaches \(cores); here it was \(oneDecimal(threadCoresBusy)), because other programs were using the same cores at the time. Run the lesson again on a quieter machine to see it."
    : "The thread pool's \"cores busy\" figure, \(oneDecimal(threadCoresBusy)), is the proof."
say("""
    Python's threads take turns: the global interpreter lock (GIL) lets only one thread run \
    Python code at a time, so CPU-bound Python code gains nothing from a thread pool and needs \
    processes to use more than one core. Swift has no such lock: its threads run truly in \
    parallel, one per core. \(coresEvidence)
    """)
say("""
    So a Swift thread pool already gives CPU-bound work every core, without the costs of \
    processes: starting them (a few milliseconds each: see where the process timeline's first \
    bars begin), and encoding every input and output as bytes and copying it through a socket.
    """)
say("""
    In Swift, then, use a thread pool for computation too, sized to the cores. Processes are \
    for what threads cannot give: isolation. The next two sections show it.
    """)

section("4. A crash that the parent survives")
say("""
    A bug that crashes (a failed precondition, a force-unwrapped nil, `fatalError`) ends the \
    whole process. On a thread pool that is your program, with every other task in it. On a \
    process pool it is one worker: the pool reports it as `BrokenProcessPool`, and your program \
    carries on. Below, one record of a batch is corrupt and its parser calls `fatalError`.
    """)
code(
    swift: """
        do {
            let n = try pool.submit(ParseCorruptRecord.self,
                                    "4x2").result()
        } catch let error as BrokenProcessPool {
            print(error.message)
            print(error.standardErrorTail)
        }
        """,
    python: """
        try:
            n = ex.submit(parse_record,
                          "4x2").result()
        except BrokenProcessPool as error:
            print(error)
        """)
let parentPID = getpid()
do {
    try withProcessPool(tasks: lessonTasks, maxWorkers: 1, workerOutput: .discard) { pool in
        let good = try pool.submit(ParseCorruptRecord.self, "42").result()
        result("record \"42\"", "parsed: \(good)")
        _ = try pool.submit(ParseCorruptRecord.self, "4x2").result()
    }
} catch let error as BrokenProcessPool {
    result("record \"4x2\"", "the worker died")
    resultBlock("BrokenProcessPool.message", error.message)
    let tail = error.standardErrorTail.split(separator: "\n").filter { $0.contains("Fatal error") }.joined(separator: "\n")
    if !tail.isEmpty { resultBlock("what the worker wrote before it died", tail) }
}
result("this program", "still running, pid \(parentPID)")
let afterCrash = try withProcessPool(tasks: lessonTasks, maxWorkers: 1, workerOutput: .discard) { pool in
    try pool.submit(Square.self, 7).result()
}
result("a new pool, Square(7)", "\(afterCrash)")
say("""
    A broken pool stays broken (its other calls fail too, as in Python), so the recovery is a \
    new pool, after noting which input killed the old one. The same `fatalError` on a thread \
    pool would have ended this lesson on the spot; the lesson does not try it.
    """)

section("5. Fresh workers: maxTasksPerChild")
let leakSize = 16
say("""
    A worker's memory is its own. What a task leaks, or a library caches and never frees, \
    stays in that worker for as long as it lives, and a long-lived worker only grows. \
    `maxTasksPerChild` replaces each worker with a fresh process after that many calls; the \
    operating system takes back everything the old one held. Below, a leaky task keeps \
    \(leakSize) MB each time it runs; each row is one call, on a pool of 1 worker.
    """)
code(
    swift: """
        let pool = try ProcessPoolExecutor(tasks: tasks,
            maxWorkers: 1, maxTasksPerChild: 2)
        """,
    python: """
        ex = ProcessPoolExecutor(max_workers=1,
            max_tasks_per_child=2)
        """)

/// Six calls of the leaky task on one worker, with or without a limit per child.
func leakyRun(maxTasksPerChild: Int?) throws -> [WorkerReport] {
    try withProcessPool(tasks: lessonTasks, maxWorkers: 1, maxTasksPerChild: maxTasksPerChild, workerOutput: .discard) { pool in
        try Array(pool.map(LeakyParse.self, Array(repeating: leakSize, count: 6)))
    }
}
let forever = try leakyRun(maxTasksPerChild: nil)
let replaced = try leakyRun(maxTasksPerChild: 2)
let leakWidths = [7, 12, 13, 14, 13]
tableRow(["call", "no limit", "", "limit 2", ""], widths: leakWidths)
tableRow(["", "worker", "its memory", "worker", "its memory"], widths: leakWidths)
for (index, (first, second)) in zip(forever, replaced).enumerated() {
    tableRow(["\(index + 1)", "pid \(first.pid)", "\(first.residentMegabytes) MB", "pid \(second.pid)", "\(second.residentMegabytes) MB"], widths: leakWidths)
}
print()
say("""
    Without a limit, one worker ran all six calls and its memory climbed with every call. With \
    `maxTasksPerChild: 2` a new worker (a new pid) took over every two calls and started small \
    again. No call was lost, and the leak never grew past two calls' worth. The cost: a worker \
    start every two calls. Threads cannot do this: they share one memory, and a thread's leak \
    is the whole program's.
    """)

section("6. The registration rule: names and bytes, never closures")
say("""
    A closure is code plus captured memory of this process; another process has neither. So a \
    process pool runs *named* tasks, registered in the program, with inputs and outputs that can \
    be turned into bytes (`Codable`). Python has the same rule under another name: pickling. It \
    sends functions by their name and arguments by value, and refuses lambdas and open files. \
    Here are the three ways to break the rule, each caught before anything is sent:
    """)
code(
    swift: """
        try pool.submit { 6 * 7 }
        try pool.submit(Unlisted.self, 1)
        try pool.submit(ReadOpenFile.self,
                        OpenFile(descriptor: 0))
        """,
    python: """
        ex.submit(lambda: 6 * 7)  # PicklingError
        ex.submit(defined_in_a_function, 1)
        ex.submit(read, open("data.txt"))
        # TypeError: cannot pickle '_io...' object
        """)
try withProcessPool(tasks: lessonTasks, maxWorkers: 1, workerOutput: .discard) { pool in
    do { _ = try pool.submit { 6 * 7 } } catch { resultBlock("a closure", "\(error)") }
    do { _ = try pool.submit(Unlisted.self, 1) } catch { resultBlock("an unregistered task", "\(error)") }
    do { _ = try pool.submit(ReadOpenFile.self, OpenFile(descriptor: 0)) } catch { resultBlock("an input that cannot be encoded", "\(error)") }
}
say("""
    Register each task in two places with one shared list: in the guard (so the worker can look \
    the name up) and in the pool (so a mistake is reported here, at the call, instead of in a \
    worker).
    """)

section("7. Messages cost: chunk small calls")
let smallCount = options.fast ? 1_000 : 3_000
say("""
    Every call is a message there and a message back. For a call that computes for a few \
    milliseconds that is nothing; for a tiny one it is everything. \(smallCount) squares, one \
    call each, then in chunks of 500 (\(smallCount / 500) calls of 500 inputs):
    """)
code(
    swift: """
        try Array(pool.map(Square.self, numbers))
        try Array(pool.map(Square.self, numbers,
                           chunkSize: 500))
        """,
    python: """
        list(ex.map(square, numbers))
        list(ex.map(square, numbers,
                    chunksize=500))
        """)
let numbers = Array(0..<smallCount)
let (oneByOne, chunked) = try withProcessPool(tasks: lessonTasks, maxWorkers: cores, workerOutput: .discard) { pool in
    _ = try pool.map(Square.self, 0..<(cores * 2)).next()  // start the workers first
    let single = try Stopwatch.measure { try Array(pool.map(Square.self, numbers)) }
    let chunks = try Stopwatch.measure { try Array(pool.map(Square.self, numbers, chunkSize: 500)) }
    return (single, chunks)
}
result("chunkSize: 1 (\(smallCount) calls)", "\(oneByOne.duration.readable), \((oneByOne.duration / smallCount).readable) per number")
result("chunkSize: 500 (\(smallCount / 500) calls)", "\(chunked.duration.readable), \(Stopwatch.speedUp(from: oneByOne.duration, to: chunked.duration)) faster")
result("same squares", oneByOne.result == chunked.result && chunked.result == numbers.map { $0 * $0 } ? "yes" : "NO")
say("""
    Pick chunks big enough that each call computes much longer than a round trip (tens of \
    microseconds), and small enough that there are still several chunks per worker to share \
    out. The prime counting of section 2 needed no chunking: each range was a big call already.
    """)

section("8. Forgetting the guard")
say("""
    What if the program does not call the guard first? The worker then runs the program's own \
    code instead of serving the pool. In Python (with the "spawn" start method, the default on \
    Windows and macOS) the child re-runs the main module and stops with a `RuntimeError` about \
    the "bootstrapping phase". Here a pool refuses to start inside a worker, and the parent's \
    pool breaks with an explanation. Below, the pool is pointed at `/usr/bin/true`, which stands \
    for a program without the guard: it starts, never says hello, and exits.
    """)
do {
    try withProcessPool(tasks: lessonTasks, maxWorkers: 1, executable: .path("/usr/bin/true"), workerOutput: .discard) { pool in
        _ = try pool.submit(Square.self, 7).result()
    }
} catch {
    resultBlock("what the pool says", "\(error)")
}

takeaways([
    "Swift threads run in parallel (no GIL): a thread pool sized to the cores already speeds up CPU-bound work.",
    "Processes cost start-up time and an encoded message per call, but give isolation: a worker's crash breaks the pool (`BrokenProcessPool`), not your program.",
    "`maxTasksPerChild` replaces workers after that many calls, taking leaked memory and stale state with them.",
    "Process tasks are named, registered types with `Codable` inputs and outputs: Python's pickling rule. Closures cannot cross a process boundary.",
    "Chunk small calls (`chunkSize`) so each message carries real work.",
    "Call `ProcessPoolExecutor.runWorkerIfRequested(tasks:)` first thing in main: Python's `if __name__ == \"__main__\":`.",
])
exercise(
    command: "swift run workbook check 11a",
    description: "Count primes in parallel on a process pool with a good chunk size: register the task, guard the entry point, and keep the answers in input order.")
nextStep(command: "swift run lesson12")
