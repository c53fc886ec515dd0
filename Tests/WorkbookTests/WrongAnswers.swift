import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import Testing
import WorkbookChecks
import WorkbookCourse

// Plausible wrong answers, each of which the checks must catch, on the property named. This is
// how we know the checks test what they say: a sequential answer must fail "concurrency", an
// answer that reports in input order must fail "order", and so on. Each is a small change to
// the solution, the kind of mistake the lesson is about.
//
// They take a while (a wrong answer often waits for a gate to time out), so they run when
// WORKBOOK_INTEGRITY=1 (CI), and not under ThreadSanitizer.

struct WrongAnswer: Sendable, CustomTestStringConvertible {
    let id: String
    let mistake: String
    let expected: CheckProperty
    let check: PreparedCheck
    /// Source text to check instead of the solution's (for checks that read the code).
    var source: String?

    var testDescription: String { "\(id): \(mistake)" }
}

@Suite("Workbook: the checks catch wrong answers",
       .enabled(if: WorkbookFiles.integrityRun && processTimeScale == 1, "runs in CI (WORKBOOK_INTEGRITY=1)"))
struct WrongAnswerTests {
    @Test("A wrong answer fails on the property it gets wrong", arguments: wrongAnswers)
    func caught(_ answer: WrongAnswer) async {
        let exercise = Course.exercise(answer.id)!
        let results = await CheckHarness.run(answer.check, sourceText: answer.source ?? WorkbookFiles.read(exercise.solutionPath))
        let failed = results.filter { $0.status != .passed }
        #expect(!failed.isEmpty, "\(answer.testDescription): every scenario passed")
        #expect(failed.contains { $0.property == answer.expected },
            "\(answer.testDescription): expected a failure of \"\(answer.expected.title)\", got \(failed.map { $0.property?.title ?? "?" })")
    }
}

let module = "WrongAnswers"

let wrongAnswers: [WrongAnswer] = [
    WrongAnswer(id: "02a", mistake: "waits for the first page before fetching the second", expected: .concurrency,
        check: Check02a.prepare(.init(fetchBoth: { first, second, pool, fetch in
            let a = try pool.submit { try fetch(first) }.result()
            let b = try pool.submit { try fetch(second) }.result()
            return a + "\n" + b
        }), module: module)),
    WrongAnswer(id: "02a", mistake: "turns a failed fetch into an empty page", expected: .errors,
        check: Check02a.prepare(.init(fetchBoth: { first, second, pool, fetch in
            let a = try pool.submit { try fetch(first) }
            let b = try pool.submit { try fetch(second) }
            return ((try? a.result()) ?? "") + "\n" + ((try? b.result()) ?? "")
        }), module: module)),
    WrongAnswer(id: "02b", mistake: "submitOrders waits for the prices", expected: .promptness,
        check: Check02b.prepare(.init(submitOrders: { orders, pool, price in
            let futures = try orders.map { order in try pool.submit { try price(order) } }
            _ = try wait(futures)
            return futures
        }, board: Solutions.board, total: Solutions.total), module: module)),
    WrongAnswer(id: "02b", mistake: "board counts cancelled receipts as finished", expected: .result,
        check: Check02b.prepare(.init(submitOrders: Solutions.submitOrders, board: { receipts in
            var board = ReceiptBoard()
            for receipt in receipts {
                if receipt.isDone { board.finished += 1 } else if receipt.isRunning { board.running += 1 } else { board.waiting += 1 }
            }
            return board
        }, total: Solutions.total), module: module)),
    WrongAnswer(id: "03a", mistake: "delivers in finishing order (asCompleted)", expected: .order,
        check: Check03a.prepare(.init(renderInOrder: { pages, pool, render, deliver in
            let futures = try pages.map { page in try pool.submit { (page, try render(page)) } }
            try asCompleted(futures).forEach { future in
                let (page, text) = try future.result()
                deliver(page, text)
            }
        }), module: module)),
    WrongAnswer(id: "03a", mistake: "collects every page before delivering the first", expected: .promptness,
        check: Check03a.prepare(.init(renderInOrder: { pages, pool, render, deliver in
            for (page, text) in try Array(pool.map(pages) { page in (page, try render(page)) }) { deliver(page, text) }
        }), module: module)),
    WrongAnswer(id: "03b", mistake: "one task per line (no chunkSize)", expected: .limit,
        check: Check03b.prepare(.init(lineTotals: { prices, quantities, pool, _, multiply in
            try Array(pool.map(zip(prices, quantities)) { multiply($0, $1) })
        }), module: module)),
    WrongAnswer(id: "03b", mistake: "one chunk for everything", expected: .concurrency,
        check: Check03b.prepare(.init(lineTotals: { prices, quantities, pool, _, multiply in
            try Array(pool.map(zip(prices, quantities), chunkSize: max(1, prices.count)) { multiply($0, $1) })
        }), module: module)),
    WrongAnswer(id: "03b", mistake: "a chunk size of 0 for an empty invoice", expected: .result,
        check: Check03b.prepare(.init(lineTotals: { prices, quantities, pool, maxTasks, multiply in
            let lines = min(prices.count, quantities.count)
            return try Array(pool.map(zip(prices, quantities), chunkSize: (lines + maxTasks - 1) / maxTasks) { multiply($0, $1) })
        }), module: module)),
    WrongAnswer(id: "04a", mistake: "reports in the order of the mirrors", expected: .order,
        check: Check04a.prepare(.init(raceMirrors: { mirrors, pool, download, report in
            let futures = try mirrors.map { mirror in try pool.submit { try download(mirror) } }
            var fastest: String?
            for (mirror, future) in zip(mirrors, futures) {
                let outcome = Result { try future.result() }
                report(mirror, outcome)
                if fastest == nil, case .success = outcome { fastest = mirror }
            }
            return fastest
        }), module: module)),
    WrongAnswer(id: "05a", mistake: "takes the first finished query even when it failed", expected: .errors,
        check: Check05a.prepare(.init(firstGoodAnswer: { replicas, pool, query in
            var replicaOf: [Future<Int>: String] = [:]
            for replica in replicas { replicaOf[try pool.submit { try query(replica) }] = replica }
            let (done, notDone) = try wait(replicaOf.keys, returnWhen: .firstCompleted)
            notDone.forEach { $0.cancel() }
            let first = done.first!
            return Answer(replica: replicaOf[first]!, value: try first.result())
        }), module: module)),
    WrongAnswer(id: "05a", mistake: "does not cancel the queued queries", expected: .cancellation,
        check: Check05a.prepare(.init(firstGoodAnswer: { replicas, pool, query in
            var replicaOf: [Future<Int>: String] = [:]
            for replica in replicas { replicaOf[try pool.submit { try query(replica) }] = replica }
            var pending = Set(replicaOf.keys)
            var errors: [String: any Error] = [:]
            while !pending.isEmpty {
                let (done, notDone) = try wait(pending, returnWhen: .firstCompleted)
                for future in done {
                    do { return Answer(replica: replicaOf[future]!, value: try future.result()) } catch { errors[replicaOf[future]!] = error }
                }
                pending = notDone
            }
            throw AllReplicasFailed(errors: errors)
        }), module: module)),
    WrongAnswer(id: "05b", mistake: "collects the results in order, so a failure waits for the jobs before it", expected: .promptness,
        check: Check05b.prepare(.init(runAllOrFailFast: { jobs, pool, run in
            let futures = try jobs.map { job in try pool.submit { try run(job) } }
            var results: [Int] = []
            for (job, future) in zip(jobs, futures) {
                do { results.append(try future.result()) } catch {
                    futures.forEach { $0.cancel() }
                    throw JobFailed(job: job, error: error)
                }
            }
            return results
        }), module: module)),
    WrongAnswer(id: "06a", mistake: "calls onChange while holding its lock (which onChange takes again)", expected: .timeLimit,
        check: Check06a.prepare(.init(counterType: CallsOutUnderTheLock.self), module: module)),
    WrongAnswer(id: "07a", mistake: "uses map, which stops at the first error", expected: .errors,
        check: Check07a.prepare(.init(parseAll: { lines, pool, parse in
            let values = try Array(pool.map(lines) { try parse($0) })
            return ParseReport(parsed: zip(lines, values).map { Parsed(line: $0, value: $1) })
        }), module: module)),
    WrongAnswer(id: "08a", mistake: "gives each fetch the whole deadline", expected: .promptness,
        check: Check08a.prepare(.init(fetchAll: { urls, pool, deadline, fetch in
            let futures = try urls.map { url in try pool.submit { try fetch(url) } }
            var report = DeadlineReport()
            for (url, future) in zip(urls, futures) {
                do { report.pages[url] = try future.result(timeout: deadline) } catch is TimeoutError {
                    future.cancel()
                    report.late.append(url)
                } catch { report.failures[url] = error }
            }
            return report
        }), module: module)),
    WrongAnswer(id: "09a", mistake: "cancels the queued searches but does not stop the running ones", expected: .cancellation,
        check: Check09a.prepare(.init(findFirst: { shards, pool, isTarget in
            let searches = try shards.enumerated().map { shard, items in
                try pool.submit { () -> Found? in
                    items.firstIndex(where: isTarget).map { Found(shard: shard, index: $0) }
                }
            }
            var pending = Set(searches)
            while !pending.isEmpty {
                let (done, notDone) = try wait(pending, returnWhen: .firstCompleted)
                for search in done {
                    if let found = try search.result() { notDone.forEach { $0.cancel() }; return found }
                }
                pending = notDone
            }
            return nil
        }), module: module)),
    WrongAnswer(id: "11a", mistake: "counts in this process instead of on the pool", expected: .concurrency,
        check: Check11a.prepare(.init(
            tasks: Solutions.primeTasks, worker: .sibling(named: "WorkbookSolutionWorker"),
            countInBlock: { try CountPrimesInBlock.run(PrimeBlock(lower: $0, upper: $1)) },
            countPrimes: { limit, blockSize, _ in
                guard blockSize >= 1 else { throw InvalidArgumentError("blockSize") }
                return try CountPrimesInBlock.run(PrimeBlock(lower: 0, upper: limit))
            }), module: module)),
    WrongAnswer(id: "12a", mistake: "the original pipeline: a task waits for a task of the same pool", expected: .deadlock,
        check: Check12a.prepare(.init(runPipeline: { documents, pool, parse, index in
            let futures = try documents.map { document in
                try pool.submit(label: "parse \(document)") {
                    let words = try parse(document)
                    return try pool.submit(label: "index \(document)") { try index(words) }.result()
                }
            }
            return try futures.map { try $0.result() }
        }), module: module)),
    WrongAnswer(id: "12b", mistake: "keeps @unchecked Sendable", expected: .source,
        check: Check12b.prepare(.init(statsType: UsageStats.self, serveAll: { sizes, pool, stats, serve in
            try serveAll(sizes, on: pool, stats: stats as! UsageStats, serve: serve)
        }), module: module),
        source: "public final class UsageStats: UsageRecording, @unchecked Sendable {}"),
    WrongAnswer(id: "13b", mistake: "reads the whole stream first", expected: .limit,
        check: Check13b.prepare(.init(processStream: { records, pool, _, process in
            try Array(pool.map(Array(records)) { try process($0) }).reduce(0, +)
        }), module: module)),
    WrongAnswer(id: "14a", mistake: "reads the files on the calling thread", expected: .concurrency,
        check: Check14a.prepare(.init(countWords: { folder, maxWorkers, readFile in
            var contents: [String: Result<[UInt8], any Error>] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".txt") {
                contents[folder + "/" + name] = Result { try readFile(folder + "/" + name) }
            }
            let read = contents
            return try countWords(inFolder: folder, maxWorkers: maxWorkers) { path in try read[path]!.get() }
        }), module: module)),
    WrongAnswer(id: "15a", mistake: "blocks its thread with result()", expected: .promptness,
        check: Check15a.prepare(.init(renderAsync: { page, pool, render in
            try pool.submit { try render(page) }.result()
        }), module: module)),
    WrongAnswer(id: "15b", mistake: "starts every job at once", expected: .limit,
        check: Check15b.prepare(.init(runWithTaskGroup: { inputs, _, job in
            try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for (index, input) in inputs.enumerated() { group.addTask { (index, try await job(input)) } }
                var results = [Int](repeating: 0, count: inputs.count)
                for try await (index, value) in group { results[index] = value }
                return results
            }
        }), module: module)),
]

/// 06a's solution with one mistake: it calls onChange inside `withLock`. When onChange reads
/// `progress`, the thread waits for the lock it holds: the workers hang, and the watchdog must
/// stop the scenario and say they are stuck in done-callbacks.
final class CallsOutUnderTheLock: ProgressTracking {
    private let onChange: @Sendable (BatchProgress) -> Void
    private let counts: LockedValue<BatchProgress>

    init(total: Int, onChange: @escaping @Sendable (BatchProgress) -> Void) {
        self.onChange = onChange
        counts = LockedValue(BatchProgress(total: total))
    }

    func track<T>(_ future: Future<T>) {
        future.addDoneCallback { [counts, onChange] future in
            let failed = !future.isCancelled && (try? future.exception()) != nil
            counts.withLock { progress in
                if future.isCancelled { progress.cancelled += 1 } else if failed { progress.failed += 1 } else { progress.succeeded += 1 }
                onChange(progress)
            }
        }
    }

    var progress: BatchProgress { counts.withLock { $0 } }
}
