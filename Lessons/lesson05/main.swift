// Lesson 05 — wait
//
// `wait(futures, returnWhen:)` blocks until a condition holds and splits the futures into the done
// and the not done. The lesson runs the same four downloads (one of them failing) under each of the
// three conditions and draws where each wait returned, then waits in rounds, and cancels the rest.
//
//   swift run lesson05            normal speed (about 3 s)
//   swift run lesson05 --fast     delays divided by 10
//   swift run lesson05 --help

import ConcurrentFutures
import LessonSupport

let info = LessonInfo(
    number: 5, title: "wait",
    summary: "Runs four downloads from a local HTTP server under firstCompleted,\n"
        + "firstException and allCompleted, draws where each wait returned, then waits\n"
        + "in rounds and cancels the rest.")
let options = LessonOptions.parseOrExit(info)
let server = try LocalHTTPServer(configuration: .init(pageSize: 1_024, pageDelay: options.scaled(.milliseconds(100))))
let base = server.baseURL

/// One download of the demonstration: its name, how slowly the server answers, and whether the
/// server answers with an error status.
struct Job: Sendable {
    var name: String
    var delay: Duration
    var fails: Bool

    var url: String {
        "\(base)/page/1?delay=\(Int(delay.inMilliseconds))" + (fails ? "&status=500" : "")
    }
}

let jobs = [
    Job(name: "A", delay: options.scaled(.milliseconds(100)), fails: false),
    Job(name: "B", delay: options.scaled(.milliseconds(250)), fails: true),
    Job(name: "C", delay: options.scaled(.milliseconds(400)), fails: false),
    Job(name: "D", delay: options.scaled(.milliseconds(550)), fails: false),
]

/// Downloads one page; a reply that is not 2xx becomes an error. Blocking.
func fetch(_ url: String) throws -> HTTPResponse {
    try HTTPClient.get(url, timeout: .seconds(10)).ensureSuccess()
}

/// The names of `futures`, looked up in `nameOf`, sorted, or "none".
func names(_ futures: Set<Future<HTTPResponse>>, _ nameOf: [Future<HTTPResponse>: String]) -> String {
    futures.isEmpty ? "none" : futures.map { nameOf[$0]! }.sorted().joined(separator: " ")
}

/// What happened in one run of the demonstration, for the timeline.
struct Run {
    var title: String
    var spans: [TimelineSpan]
}

/// Submits every job to a fresh pool, calls `wait` with `returnWhen`, prints what it returned,
/// and returns the run's spans: the tasks, plus the wait itself on the `main` row. The pool's
/// shutdown (at the end of `withThreadPool`) lets the unfinished tasks run to the end, so they
/// show on the timeline too.
func demonstrate(_ returnWhen: ReturnWhen, title: String) throws -> Run {
    let recorder = TaskEventRecorder()
    var waitSpan: TimelineSpan?
    try withThreadPool(maxWorkers: jobs.count, threadNamePrefix: "worker", observer: recorder.record) { pool in
        var nameOf: [Future<HTTPResponse>: String] = [:]
        for job in jobs {
            let url = job.url
            nameOf[try pool.submit(label: job.name) { try fetch(url) }] = job.name
        }
        let start = ContinuousClock.now
        let (done, notDone) = try wait(nameOf.keys, returnWhen: returnWhen)
        let end = ContinuousClock.now
        waitSpan = TimelineSpan(worker: "main", label: "wait", submitted: start, started: start, finished: end)
        let failed = done.filter { $0.isDone && !$0.isCancelled && (try? $0.exception()) != nil }
        result("wait returned after", (end - start).readable)
        result("done (\(done.count))", names(done, nameOf) + (failed.isEmpty ? "" : ", of which failed: " + names(failed, nameOf)))
        result("not done (\(notDone.count))", names(notDone, nameOf))
        // Read every outcome before leaving, so that no failure goes unnoticed (lesson 07).
        for future in nameOf.keys { _ = try future.exception() }
    }
    return Run(title: title, spans: TimelineSpan.spans(from: recorder.events) + [waitSpan!])
}

/// Draws a worker timeline. Like `Timeline.print`, but 8 columns narrower than the terminal:
/// the labels under the time axis may reach past the right end of the rows.
func showTimeline(_ sections: [TimelineSection]) {
    for line in Timeline.render(sections: sections, width: Terminal.width - 8, color: Terminal.isColorEnabled) {
        print(line)
    }
    print()
}

lesson(info)
say("""
    `asCompleted` hands futures over one at a time. `wait` is blunter: it blocks until a \
    condition holds, then returns two sets, the futures that are done and those that are not. \
    The condition is one of three: the first future done, the first failure, or everything.

    Four jobs fetch from the lesson's server at \(base): \
    \(jobs.map { "\($0.name) takes \($0.delay.readable)\($0.fails ? " and fails" : "")" }.joined(separator: ", ")). \
    Each run below starts all four on a fresh pool of four workers and waits differently.
    """)
code(
    swift: """
        let (done, notDone) = try wait(futures, returnWhen: .firstCompleted)
        """,
    python: """
        done, not_done = wait(futures, return_when=FIRST_COMPLETED)
        """)

// MARK: - 1

section("1. returnWhen: .firstCompleted")
say("Returns as soon as any one future is done, whether it succeeded, failed or was cancelled.")
let firstCompleted = try demonstrate(.firstCompleted, title: ".firstCompleted")

section("2. returnWhen: .firstException")
say("""
    Returns as soon as any future fails (throws). If none fails, it waits for all of them. \
    Useful to stop early when one failure makes the whole batch pointless.
    """)
let firstException = try demonstrate(.firstException, title: ".firstException")

section("3. returnWhen: .allCompleted (the default)")
say("Returns when every future is done. `notDone` is empty, unless a timeout cut the wait short.")
let allCompleted = try demonstrate(.allCompleted, title: ".allCompleted")

section("4. The picture")
showTimeline([firstCompleted, firstException, allCompleted].map { TimelineSection($0.title, spans: $0.spans) })
say("""
    Same four tasks three times; only the `main` row differs. Its `wait` bar ends when A \
    finished (first completed), when B failed (first exception, drawn with x), or when the last \
    one, D, finished. Note what `wait` does not do: the tasks it did not wait for carry on \
    running. Returning early is about the caller, not the work.
    """)

// MARK: - 5

section("5. Waiting in rounds")
say("""
    A loop around `wait(.firstCompleted)` handles results as they come, like `asCompleted`, \
    but one round may bring several at once, and between rounds you may submit more work or \
    give up on the rest. Each round waits only on the futures still pending.
    """)
code(
    swift: """
        var pending = Set(futures)
        while !pending.isEmpty {
            let (done, notDone) = try wait(pending,
                                           returnWhen: .firstCompleted)
            for future in done { handle(future) }
            pending = notDone
        }
        """,
    python: """
        pending = set(futures)
        while pending:
            done, pending = wait(pending,
                                 return_when=FIRST_COMPLETED)
            for future in done:
                handle(future)
        """)
let roundDelays = [120, 300, 120, 450, 300, 120].map { options.scaled(.milliseconds($0)) }
try withThreadPool(maxWorkers: roundDelays.count, threadNamePrefix: "worker") { pool in
    var pageOf: [Future<HTTPResponse>: Int] = [:]
    for (number, delay) in roundDelays.enumerated() {
        let url = "\(base)/page/\(number)?delay=\(Int(delay.inMilliseconds))"
        pageOf[try pool.submit { try fetch(url) }] = number
    }
    let clock = Stopwatch()
    var pending = Set(pageOf.keys)
    var round = 0
    while !pending.isEmpty {
        let (done, notDone) = try wait(pending, returnWhen: .firstCompleted)
        round += 1
        let pages = done.map { pageOf[$0]! }.sorted()
        for future in done { _ = try future.result() }
        result(
            "round \(round) at \(clock.elapsed.readable)",
            "\(pages.count == 1 ? "page" : "pages") \(pages.map(String.init).joined(separator: ", ")) done, \(notDone.count) still pending")
        pending = notDone
    }
}
say("""
    Pages that finish at about the same moment can land in the same round (several pages here \
    take the same time); whether they do depends on how quickly the main thread gets back to \
    `wait`, so the rounds may differ from one run to the next.
    """)

// MARK: - 6

section("6. First good answer, then cancel the rest")
say("""
    Four replicas of one service hold the same data; the first good answer is enough. Only two \
    workers, so two requests wait in the queue. After the first answer, `cancel()` is called on \
    everything still not done: a queued task is cancelled and will never run, a running one \
    cannot be (`cancel()` returns false) and finishes in the background.
    """)
code(
    swift: """
        let (done, notDone) = try wait(replicas, returnWhen: .firstCompleted)
        for future in notDone {
            print(future.cancel())
        }
        """,
    python: """
        done, not_done = wait(replicas, return_when=FIRST_COMPLETED)
        for future in not_done:
            print(future.cancel())
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
    let (done, notDone) = try wait(replicaOf.keys, returnWhen: .firstCompleted)
    for future in done {
        result("first answer after \(clock.elapsed.readable)", "\(replicaOf[future]!), \(try future.result().body.count) bytes")
    }
    for (future, replica) in replicaOf.filter({ notDone.contains($0.key) }).sorted(by: { $0.value < $1.value }) {
        let wasRunning = future.isRunning
        let cancelled = future.cancel()
        result("\(replica) was \(wasRunning ? "running" : "queued"); cancel() returned", "\(cancelled)")
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
    command: "swift run workbook check 05a",
    description: "First good answer wins. Ask several replicas at once, return the first good answer, "
        + "cancel the rest, and report every replica's error if none answers.")
exercise(
    command: "swift run workbook check 05b",
    description: "Fail fast. Run a batch of jobs, stop waiting at the first error, cancel what has not "
        + "started, and report which job failed.")
nextStep(command: "swift run lesson06")
