// The code lesson 05 shows, as it runs: each snippet between `// snippet: name` and
// `// snippet end` is printed by the lesson from this file.

import ConcurrentFutures
import LessonSupport

/// One download of the demonstration: its name, how slowly the server answers, and whether the
/// server answers with an error status.
struct Job: Sendable {
    var name: String
    var delay: Duration
    var fails: Bool

    func url(base: String) -> String {
        "\(base)/page/1?delay=\(Int(delay.inMilliseconds))" + (fails ? "&status=500" : "")
    }
}

/// What one `wait` returned, by job name.
struct WaitOutcome {
    var done: [String]
    var failed: [String]
    var notDone: [String]
    var waited: Duration
    var spans: [TimelineSpan]
}

/// Sections 1 to 3: every job on a fresh pool of its own, then one `wait` with `returnWhen`.
/// The pool's shutdown (at the end of `withThreadPool`) lets the unfinished tasks run to the
/// end, so they show on the timeline too; the wait itself is drawn on the `main` row.
func runJobs(_ jobs: [Job], base: String, returnWhen: ReturnWhen) throws -> WaitOutcome {
    let recorder = TaskEventRecorder()
    let mainRow = SpanRecorder()
    var outcome = WaitOutcome(done: [], failed: [], notDone: [], waited: .zero, spans: [])
    try withThreadPool(maxWorkers: jobs.count, threadNamePrefix: "worker", observer: recorder.record) { pool in
        var nameOf: [Future<HTTPResponse>: String] = [:]
        for job in jobs {
            let url = job.url(base: base)
            nameOf[try pool.submit(label: job.name) { try fetch(url) }] = job.name
        }
        let start = ContinuousClock.now
        // snippet: wait
        let (done, notDone) = try wait(nameOf.keys, returnWhen: returnWhen)
        // snippet end
        mainRow.add("wait", from: start, to: .now)
        outcome.waited = .now - start
        outcome.done = done.map { nameOf[$0]! }.sorted()
        outcome.failed = done.filter { !$0.isCancelled && (try? $0.exception()) != nil }.map { nameOf[$0]! }.sorted()
        outcome.notDone = notDone.map { nameOf[$0]! }.sorted()
        // Read every outcome before leaving, so that no failure goes unnoticed (lesson 07).
        for future in nameOf.keys { _ = try future.exception() }
    }
    outcome.spans = TimelineSpan.spans(from: recorder.events) + mainRow.spans
    return outcome
}

/// Section 5: wait in rounds until nothing is pending; `handle` gets each round's done futures
/// and how many are still pending.
func waitInRounds(
    _ futures: [Future<HTTPResponse>], handle: (Set<Future<HTTPResponse>>, Int) throws -> Void
) throws {
    // snippet: rounds
    var pending = Set(futures)
    while !pending.isEmpty {
        let (done, notDone) = try wait(pending, returnWhen: .firstCompleted)
        try handle(done, notDone.count)
        pending = notDone
    }
    // snippet end
}

/// Section 6: the first answer, then `cancel()` on the rest. `report` gets each replica still
/// not done, whether it was running, and what `cancel()` returned.
func firstAnswerThenCancel(
    _ replicaOf: [Future<HTTPResponse>: String], report: (String, Bool, Bool) -> Void
) throws -> Set<Future<HTTPResponse>> {
    // snippet: cancel-rest
    let (done, notDone) = try wait(replicaOf.keys, returnWhen: .firstCompleted)
    for future in notDone {
        report(replicaOf[future]!, future.isRunning, future.cancel())
    }
    // snippet end
    return done
}
