// Lesson 05 — wait
//
// `wait(futures, returnWhen:)` blocks until a condition holds and splits the futures into the done
// and the not done. The lesson runs the same four downloads (one of them failing) under each of the
// three conditions and draws where each wait returned, then waits in rounds, and cancels the rest.
// The code it shows is in Examples.swift.
//
//   swift run lesson05            normal speed (about 3 s)
//   swift run lesson05 --fast     delays divided by 10
//   swift run lesson05 --step     pause after each section (presenter mode)
//   swift run lesson05 --help

import ConcurrentFutures
import LessonSupport

let info = LessonInfo(
    number: 5, title: "wait",
    summary: "Runs four downloads from a local HTTP server under firstCompleted,\n"
        + "firstException and allCompleted, draws where each wait returned, then waits\n"
        + "in rounds and cancels the rest.",
    sections: [
        "returnWhen: .firstCompleted", "returnWhen: .firstException", "returnWhen: .allCompleted (the default)",
        "The picture", "Waiting in rounds", "First good answer, then cancel the rest",
    ])
let options = LessonOptions.parseOrExit(info)
let server = try LocalHTTPServer(configuration: .init(pageSize: 1_024, pageDelay: options.scaled(.milliseconds(100))))
let base = server.baseURL

let jobs = [
    Job(name: "A", delay: options.scaled(.milliseconds(100)), fails: false),
    Job(name: "B", delay: options.scaled(.milliseconds(250)), fails: true),
    Job(name: "C", delay: options.scaled(.milliseconds(400)), fails: false),
    Job(name: "D", delay: options.scaled(.milliseconds(550)), fails: false),
]

/// Runs the jobs under `returnWhen` and prints what `wait` returned.
func demonstrate(_ returnWhen: ReturnWhen) throws -> WaitOutcome {
    let outcome = try runJobs(jobs, base: base, returnWhen: returnWhen)
    let names = { (names: [String]) in names.isEmpty ? "none" : names.joined(separator: " ") }
    result("wait returned after", outcome.waited.readable)
    result("done (\(outcome.done.count))", names(outcome.done) + (outcome.failed.isEmpty ? "" : ", of which failed: " + names(outcome.failed)))
    result("not done (\(outcome.notDone.count))", names(outcome.notDone))
    return outcome
}

lesson(info)
say("""
    `asCompleted` hands futures over one at a time. `wait` is blunter: it blocks until a \
    condition holds, then returns two sets, the futures that are done and those that are not. \
    The condition is one of three: the first future done, the first failure, or everything.

    Four jobs fetch from the lesson's server at \(base): \
    \(jobs.map { "\($0.name) takes \($0.delay.readable)\($0.fails ? " and fails" : "")" }.joined(separator: ", ")). \
    Each run below starts all four on a fresh pool of four workers (each task labelled with its \
    job's name), and waits differently:
    """)
code(
    snippet: "wait",
    python: """
        done, not_done = wait(name_of, return_when=return_when)
        """)

section("returnWhen: .firstCompleted")
say("Returns as soon as any one future is done, whether it succeeded, failed or was cancelled.")
let firstCompleted = try demonstrate(.firstCompleted)

section("returnWhen: .firstException")
say("""
    Returns as soon as any future fails (throws). If none fails, it waits for all of them. \
    Useful to stop early when one failure makes the whole batch pointless.
    """)
let firstException = try demonstrate(.firstException)

section("returnWhen: .allCompleted (the default)")
say("Returns when every future is done. `notDone` is empty, unless a timeout cut the wait short.")
let allCompleted = try demonstrate(.allCompleted)

section("The picture")
Timeline.print([
    TimelineSection(".firstCompleted", spans: firstCompleted.spans),
    TimelineSection(".firstException", spans: firstException.spans),
    TimelineSection(".allCompleted", spans: allCompleted.spans),
])
say("""
    Same four tasks three times, each row labelled with its job; only the `main` row differs. \
    Its `wait` bar ends when A finished (first completed), when B failed (first exception, \
    drawn with x), or when the last one, D, finished. Note what `wait` does not do: the tasks it \
    did not wait for carry on running. Returning early is about the caller, not the work.
    """)

section("Waiting in rounds")
say("""
    A loop around `wait(.firstCompleted)` handles results as they come, like `asCompleted`, \
    but one round may bring several at once, and between rounds you may submit more work or \
    give up on the rest. Each round waits only on the futures still pending.
    """)
code(
    snippet: "rounds",
    python: """
        pending = set(futures)
        while pending:
            done, pending = wait(pending,
                                 return_when=FIRST_COMPLETED)
            handle(done, len(pending))
        """)
let roundDelays = [120, 300, 120, 450, 300, 120].map { options.scaled(.milliseconds($0)) }
try withThreadPool(maxWorkers: roundDelays.count, threadNamePrefix: "worker") { pool in
    var pageOf: [Future<HTTPResponse>: Int] = [:]
    for (number, delay) in roundDelays.enumerated() {
        let url = "\(base)/page/\(number)?delay=\(Int(delay.inMilliseconds))"
        pageOf[try pool.submit { try fetch(url) }] = number
    }
    let clock = Stopwatch()
    var round = 0
    try waitInRounds(Array(pageOf.keys)) { done, stillPending in
        round += 1
        let pages = done.map { pageOf[$0]! }.sorted()
        for future in done { _ = try future.result() }
        result(
            "round \(round) at \(clock.elapsed.readable)",
            "\(pages.count == 1 ? "page" : "pages") \(pages.map(String.init).joined(separator: ", ")) done, \(stillPending) still pending")
    }
}
say("""
    Six pages, taking \(roundDelays.map(\.readable).joined(separator: ", ")). Pages that finish at \
    about the same moment can land in the same round; whether they do depends on how quickly the \
    main thread gets back to `wait`, so the rounds may differ from one run to the next.
    """)

section("First good answer, then cancel the rest")
say("""
    Four replicas of one service hold the same data; the first good answer is enough. Only two \
    workers, so two requests wait in the queue. After the first answer, `cancel()` is called on \
    everything still not done: a queued task is cancelled and will never run, a running one \
    cannot be (`cancel()` returns false) and finishes in the background.
    """)
code(
    snippet: "cancel-rest",
    python: """
        done, not_done = wait(replica_of,
                              return_when=FIRST_COMPLETED)
        for future in not_done:
            report(replica_of[future], future.running(),
                   future.cancel())
        """)
let replicaDelays = [("replica-1", 400), ("replica-2", 150), ("replica-3", 400), ("replica-4", 400)]
    .map { ($0.0, options.scaled(.milliseconds($0.1))) }
server.resetStatistics()
try withThreadPool(maxWorkers: 2, threadNamePrefix: "worker") { pool in
    var replicaOf: [Future<HTTPResponse>: String] = [:]
    for (replica, delay) in replicaDelays {
        let url = "\(base)/page/5?delay=\(Int(delay.inMilliseconds))"
        replicaOf[try pool.submit { try fetch(url) }] = replica
    }
    let clock = Stopwatch()
    var reports: [(replica: String, wasRunning: Bool, cancelled: Bool)] = []
    let done = try firstAnswerThenCancel(replicaOf) { reports.append(($0, $1, $2)) }
    let answeredAfter = clock.elapsed
    for future in done {
        result("first answer after \(answeredAfter.readable)", "\(replicaOf[future]!), \(try future.result().body.count) bytes")
    }
    for report in reports.sorted(by: { $0.replica < $1.replica }) {
        result("\(report.replica) was \(report.wasRunning ? "running" : "queued"); cancel() returned", "\(report.cancelled)")
    }
    let timeoutClock = Stopwatch()
    let (stillDone, stillNotDone) = try wait(replicaOf.keys, timeout: options.scaled(.milliseconds(50)))
    result(
        "wait(timeout: \(options.scaled(.milliseconds(50)).readable)) returned after \(timeoutClock.elapsed.readable)",
        "\(stillDone.count) done, \(stillNotDone.count) not done, no error")
}
result("requests the server received", "\(server.statistics.requestsServed) of \(replicaDelays.count)")
say("""
    The worker that delivered the first answer took the next queued request at once, before \
    the main thread could cancel it. A request still queued when `cancel()` was called never \
    reached the server, as its count shows. The `wait` with a timeout shows one more difference \
    from `asCompleted`: when `wait` runs out of time it does not throw; it returns the two sets \
    as they are, and the caller decides.
    """)

server.stop()

takeaways([
    "`wait(futures, returnWhen:)` blocks until a condition holds and returns `(done, notDone)`, like Python's `wait`.",
    "`.firstCompleted`: any future done; `.firstException`: any failure (else all); `.allCompleted`: everything (the default).",
    "Tasks that `wait` did not wait for keep running; returning early frees the caller, not the workers.",
    "A loop of `wait(pending, returnWhen: .firstCompleted)` processes work in rounds and can stop or add work between rounds.",
    "After the first good answer, `cancel()` the rest: queued tasks never run, running ones finish anyway.",
    "A timeout in `wait` is not an error: you get the two sets as they are.",
])
exercise(
    id: "05a",
    description: "Query every replica at once, return the first successful answer at once and cancel the "
        + "queued queries; if no replica answers, report every replica's error.")
exercise(
    id: "05b",
    description: "Run every job; on the first failure, cancel the queued jobs and throw that failure with its "
        + "job, without waiting for the rest.")
nextStep(command: "swift run lesson06")
