// Lesson 11 — Process pools
//
// The same CPU-bound job done one by one, on a thread pool and on a process pool, measured on
// this machine. Why Swift threads already run in parallel (there is no GIL), and what worker
// processes still give you: a crash that the parent survives, fresh workers with
// `maxTasksPerChild`, memory that goes away with its process. Then the rules processes impose:
// registered tasks with encodable inputs (Python's pickling rule), messages that cost time
// (chunking), and the entry-point guard (Python's `if __name__ == "__main__":`). Last, one
// program run on both kinds of executor, switched by one argument.
// The code it shows is in Tasks.swift, Examples.swift and TwoExecutors.swift.
//
//   swift run lesson11                          normal speed (about 4 s)
//   swift run lesson11 --fast                   less computation
//   swift run lesson11 --executor processes     section 9 on one executor only
//   swift run lesson11 --step                   pause after each section (presenter mode)
//   swift run lesson11 --help

import ConcurrentFutures
import LessonSupport
import SystemPlatform  // getpid, resourceUsage

// The entry-point guard (Python: `if __name__ == "__main__":`). A worker is a fresh start of
// this very program; this call recognises it, serves the pool's calls, and exits. In the real
// run it returns at once. Everything a worker needs is declared in Tasks.swift.
// snippet: guard
ProcessPoolExecutor.runWorkerIfRequested(tasks: lessonTasks)
// the program's own code from here on
// snippet end

let info = LessonInfo(
    number: 11, title: "Process pools",
    summary: "Counts primes one by one, on a thread pool and on a process pool, and compares; then a worker\n"
        + "crash the parent survives, maxTasksPerChild, the registration rule, chunking and the guard;\n"
        + "last, one program on both executors, switched by one argument.",
    sections: [
        "A program that is also its own worker", "One job, three ways", "Why threads were enough",
        "A crash that the parent survives", "Fresh workers: maxTasksPerChild",
        "The registration rule: names and bytes, never closures", "Messages cost: chunk small calls",
        "Forgetting the guard", "One program, two executors",
    ],
    extraOptions: [.choice("--executor", ["threads", "processes", "both"], help: "the executor(s) of section 9 (default both)")])
let options = LessonOptions.parseOrExit(info)
let cores = ProcessPoolExecutor.defaultMaxWorkers

/// CPU time used so far by this process and by its children that have ended and been collected.
func cpuTime() -> Duration {
    resourceUsage(of: .currentProcess).cpu + resourceUsage(of: .collectedChildren).cpu
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

section("A program that is also its own worker")
say("""
    A process pool starts worker processes: fresh runs of this same program. So the program's \
    first line is a guard. In a worker, it serves the pool's calls and never returns; in the \
    real run, it returns at once and the lesson goes on. Everything a worker needs (the task \
    types, their helper functions) is declared outside the lesson's own code, in another file: \
    a task is a type with a name, and the guard and every pool get the same list of them.
    """)
code(
    snippets: ["count-primes-task", "task-list", "guard"],
    python: """
        def count_primes(r):
            ...

        if __name__ == "__main__":
            # the program's own code from here on
            main()
        """)

section("One job, three ways")
let pieceCount = 16
let pieceSize = options.fast ? 8_000 : 48_000
let ranges = (0..<pieceCount).map { ($0 * pieceSize)..<(($0 + 1) * pieceSize) }
say("""
    Counting the primes below \(pieceCount * pieceSize) by trial division, split into \
    \(pieceCount) ranges: the same function, run one range after another on the main thread, \
    on a thread pool of \(cores), and on a process pool of \(cores) (whose time includes \
    starting the workers).
    """)
code(
    snippets: ["one-by-one", "threads", "processes"],
    python: """
        counts = list(map(count_primes, ranges))

        with ThreadPoolExecutor(cores,
                thread_name_prefix="thread") as ex:
            counts = list(ex.map(count_primes,
                                 ranges))

        with ProcessPoolExecutor(cores) as ex:
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
_ = try withThreadPool(maxWorkers: cores) { pool in try Array(pool.map(ranges.prefix(cores), countPrimes(in:))) }  // warm-up
for _ in 0..<3 {
    sequentialRuns.append(measure { countOneByOne(ranges) })
    threadRecorder = TaskEventRecorder()
    threadRuns.append(try measure { try countOnThreads(ranges, cores: cores, recorder: threadRecorder) })
    processRecorder = TaskEventRecorder()
    processRuns.append(try measure { try countInProcesses(ranges, cores: cores, recorder: processRecorder) })
}
let sequential = median(sequentialRuns), threaded = median(threadRuns), processed = median(processRuns)
let agree = (sequentialRuns + threadRuns + processRuns).allSatisfy { $0.result == sequential.result }
let widths = [24, 11, 10, 11, 13]
tableRow(["", "wall time", "speed-up", "CPU time", "cores busy"], widths: widths)
for (name, run) in [("one by one", sequential), ("thread pool of \(cores)", threaded), ("process pool of \(cores)", processed)] {
    tableRow([name, run.wall.readable, Stopwatch.speedUp(from: sequential.wall, to: run.wall), run.cpu.readable,
         oneDecimal(run.cpu / run.wall)], widths: widths)
}
show("")
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

section("Why threads were enough")
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

section("A crash that the parent survives")
say("""
    A bug that crashes (a failed precondition, a force-unwrapped nil, `fatalError`) ends the \
    whole process. On a thread pool that is your program, with every other task in it. On a \
    process pool it is one worker: the pool reports it as `BrokenProcessPool`, and your program \
    carries on. Below, one record of a batch is corrupt and its parser calls `fatalError`.
    """)
code(
    snippet: "crash",
    python: """
        with ProcessPoolExecutor(1) as ex:
            good = ex.submit(parse_record, "42").result()
            report('record "42"', good)
            ex.submit(parse_record, "4x2").result()
        # raises BrokenProcessPool
        """)
let parentPID = getpid()
do {
    try parseRecords { label, value in result(label, value) }
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

section("Fresh workers: maxTasksPerChild")
let leakSize = 16
say("""
    A worker's memory is its own. What a task leaks, or a library caches and never frees, \
    stays in that worker for as long as it lives, and a long-lived worker only grows. \
    `maxTasksPerChild` replaces each worker with a fresh process after that many calls; the \
    operating system takes back everything the old one held. Below, a leaky task keeps \
    \(leakSize) MB each time it runs; each row is one call, on a pool of 1 worker.
    """)
code(
    snippet: "max-tasks",
    python: """
        with ProcessPoolExecutor(max_workers=1,
                max_tasks_per_child=max_tasks_per_child) as ex:
            reports = list(ex.map(leaky_parse,
                                  [megabytes] * 6))
        """)
let forever = try leakyRun(megabytes: leakSize, maxTasksPerChild: nil)
let replaced = try leakyRun(megabytes: leakSize, maxTasksPerChild: 2)
let leakWidths = [7, 12, 13, 14, 13]
tableRow(["call", "no limit", "", "limit 2", ""], widths: leakWidths)
tableRow(["", "worker", "its memory", "worker", "its memory"], widths: leakWidths)
for (index, (first, second)) in zip(forever, replaced).enumerated() {
    tableRow(["\(index + 1)", "pid \(first.pid)", "\(first.residentMegabytes) MB", "pid \(second.pid)", "\(second.residentMegabytes) MB"], widths: leakWidths)
}
show("")
say("""
    Without a limit, one worker ran all six calls and its memory climbed with every call. With \
    `maxTasksPerChild: 2` a new worker (a new pid) took over every two calls and started small \
    again. No call was lost, and the leak never grew past two calls' worth. The cost: a worker \
    start every two calls. Threads cannot do this: they share one memory, and a thread's leak \
    is the whole program's.
    """)

section("The registration rule: names and bytes, never closures")
say("""
    A closure is code plus captured memory of this process; another process has neither. So a \
    process pool runs *named* tasks, registered in the program, with inputs and outputs that can \
    be turned into bytes (`Codable`). Python has the same rule under another name: pickling. It \
    sends functions by their name and arguments by value, and refuses lambdas and open files. \
    Here are the three ways to break the rule, each caught before anything is sent:
    """)
code(
    snippet: "rule",
    python: """
        ex.submit(lambda: 6 * 7)  # PicklingError
        ex.submit(defined_in_a_function, 1)
        ex.submit(read, open("data.txt"))
        # TypeError: cannot pickle '_io...' object
        """)
try breakTheRule { label, error in resultBlock(label, "\(error)") }
say("""
    Register each task in two places with one shared list: in the guard (so the worker can look \
    the name up) and in the pool (so a mistake is reported here, at the call, instead of in a \
    worker).
    """)

section("Messages cost: chunk small calls")
let smallCount = options.fast ? 1_000 : 3_000
say("""
    Every call is a message there and a message back. For a call that computes for a few \
    milliseconds that is nothing; for a tiny one it is everything. \(smallCount) squares, one \
    call each, then in chunks of 500 (\(smallCount / 500) calls of 500 inputs):
    """)
code(
    snippet: "chunks",
    python: """
        single = timed(lambda: list(ex.map(square, numbers)))
        chunked = timed(lambda: list(ex.map(square, numbers,
                                            chunksize=500)))
        """)
let numbers = Array(0..<smallCount)
let (oneByOne, chunked) = try squares(count: smallCount, cores: cores)
result("chunkSize: 1 (\(smallCount) calls)", "\(oneByOne.duration.readable), \((oneByOne.duration / smallCount).readable) per number")
result("chunkSize: 500 (\(smallCount / 500) calls)", "\(chunked.duration.readable), \(Stopwatch.speedUp(from: oneByOne.duration, to: chunked.duration)) faster")
result("same squares", oneByOne.result == chunked.result && chunked.result == numbers.map { $0 * $0 } ? "yes" : "NO")
say("""
    Pick chunks big enough that each call computes much longer than a round trip (tens of \
    microseconds), and small enough that there are still several chunks per worker to share \
    out. The prime counting of section 2 needed no chunking: each range was a big call already.
    """)

section("Forgetting the guard")
say("""
    What if the program does not call the guard first? The worker then runs the program's own \
    code instead of serving the pool. In Python (with the "spawn" start method, the default on \
    Windows and macOS) the child re-runs the main module and stops with a `RuntimeError` about \
    the "bootstrapping phase". Here a pool refuses to start inside a worker, and the parent's \
    pool breaks with an explanation. Below, the pool is pointed at `/usr/bin/true`, which stands \
    for a program without the guard: it starts, never says hello, and exits.
    """)
code(
    snippet: "no-guard",
    python: """
        # Python, started with "spawn", without the guard:
        # RuntimeError: An attempt has been made to start
        # a new process before the current process has
        # finished its bootstrapping phase.
        """)
do {
    try startWorkersWithoutTheGuard()
} catch {
    resultBlock("what the pool says", "\(error)")
}

section("One program, two executors")
let choice = options.text("--executor", default: "both")
let kinds = choice == "both" ? ExecutorKind.allCases : [ExecutorKind(rawValue: choice)!]
let programServer = try LocalHTTPServer(configuration: .init(pageSize: 2_048, pageDelay: options.scaled(.milliseconds(100))))
let programURLs = programServer.pageURLs(count: 16)
let programLimit = options.fast ? 320_000 : 1_600_000
let programRanges = (0..<16).map { ($0 * programLimit / 16)..<(($0 + 1) * programLimit / 16) }
say("""
    A program written once, against the `Executor` protocol, and run on a thread pool or on a \
    process pool by changing one argument: Python's classic `main(ThreadPoolExecutor)` / \
    `main(ProcessPoolExecutor)`. It does two jobs on a pool of 4: 16 downloads from a local \
    server (\(options.scaled(.milliseconds(100)).readable) each: I/O-bound) and the primes below \
    \(grouped(programLimit)) in 16 ranges (CPU-bound).

    One thing cannot be the same: a process pool cannot run a closure. So the program submits \
    registered tasks, and a small `submit(_:_:to:)` sends a process pool the task's name and \
    input, and any other executor a plain call.
    """)
code(
    snippet: "executor-kind",
    python: """
        # Python needs no such switch: any
        # module-level function pickles by name.
        executor_class = (ThreadPoolExecutor
                          if kind == "threads"
                          else ProcessPoolExecutor)
        """)
code(
    snippet: "program",
    python: """
        def main(executor_class):
            with executor_class(max_workers=4) as ex:
                start = time.perf_counter()
                sizes = list(ex.map(fetch_size, urls))
                io = time.perf_counter() - start
                start = time.perf_counter()
                counts = list(ex.map(count_primes, ranges))
                cpu = time.perf_counter() - start
            return io, cpu

        if __name__ == "__main__":
            main(ThreadPoolExecutor)
            main(ProcessPoolExecutor)
        """)
let programWidths = [22, 16, 16]
tableRow(["", "I/O-bound", "CPU-bound"], widths: programWidths)
var programRuns: [(ExecutorKind, ProgramTimes)] = []
for kind in kinds {
    let times = try runProgram(on: kind, urls: programURLs, ranges: programRanges)
    programRuns.append((kind, times))
    tableRow([kind == .threads ? "thread pool of 4" : "process pool of 4", times.io.readable, times.cpu.readable], widths: programWidths)
}
programServer.stop()
show("")
let answers = Set(programRuns.map { "\($0.1.bytes) \($0.1.primes)" })
result("same bytes and primes on every executor", answers.count == 1 ? "yes (\(programRuns[0].1.primes) primes)" : "NO")
if programRuns.count == 2 {
    let (threads, processes) = (programRuns[0].1, programRuns[1].1)
    let ratio = processes.cpu / threads.cpu
    let verdict = ratio > 1.1
        ? "so processes win nothing there and lose a little to their messages and their start"
        : ratio < 0.9
        ? "so processes should win nothing there; that they were faster this time is the noise of a busy machine (run it again)"
        : "so both took about the same time: processes win nothing there"
    say("""
        Downloads mostly wait, so both pools overlap four of them at a time; the process pool \
        also pays for starting its workers, which its first job (the downloads) carries. For \
        prime counting both use every core. Swift threads run in parallel, \(verdict). Try \
        `--executor threads` or `--executor processes` to run the program on one executor \
        only, as Python's `main(...)` would.
        """)
}
note("The whole Python original is in the lesson's notes, Lessons/lesson11/README.md.")

takeaways([
    "Swift threads run in parallel (no GIL): a thread pool sized to the cores already speeds up CPU-bound work.",
    "Processes cost start-up time and an encoded message per call, but give isolation: a worker's crash breaks the pool (`BrokenProcessPool`), not your program.",
    "`maxTasksPerChild` replaces workers after that many calls, taking leaked memory and stale state with them.",
    "Process tasks are named, registered types with `Codable` inputs and outputs: Python's pickling rule. Closures cannot cross a process boundary.",
    "Chunk small calls (`chunkSize`) so each message carries real work.",
    "Call `ProcessPoolExecutor.runWorkerIfRequested(tasks:)` first thing in main: Python's `if __name__ == \"__main__\":`.",
])
exercise(
    id: "11a",
    description: "Write a registered `ProcessTask` and count the primes below a limit in blocks, one call per "
        + "block, in worker processes.")
nextStep(command: "swift run lesson12")
