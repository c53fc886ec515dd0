import ConcurrentFutures
import Dispatch
import Foundation
import SystemPlatform

/// The reliability suite's stress run: several threads submit to one thread pool at once,
/// mixing results, thrown errors, cancels, and timed-out waits through `result`, `wait` and
/// `asCompleted`, and the pool is shut down (cancelling what is queued) while they are still
/// submitting. Afterwards every future must be in exactly one final state, every done-callback
/// must have run exactly once, the counts must add up, and no worker thread may be left.
///
/// `swift test` runs it small (and CI under ThreadSanitizer); `swift run -c release stress`
/// runs it at full size: 8 threads × 100,000 tasks.
public struct StressConfiguration: Sendable {
    public var submitters = 8
    public var tasksPerSubmitter = 100_000
    public var maxWorkers = 4
    /// Shut the pool down (with `cancelFutures: true`) once this share of all tasks was submitted.
    public var shutdownAfter = 0.9

    public init(submitters: Int = 8, tasksPerSubmitter: Int = 100_000, maxWorkers: Int = 4, shutdownAfter: Double = 0.9) {
        self.submitters = submitters
        self.tasksPerSubmitter = tasksPerSubmitter
        self.maxWorkers = maxWorkers
        self.shutdownAfter = shutdownAfter
    }
}

/// What a stress run saw. `problems` is empty when every property held.
public struct StressReport: Sendable, CustomStringConvertible {
    public var attempted = 0
    public var accepted = 0
    public var refusedAfterShutdown = 0
    public var returned = 0
    public var threw = 0
    public var cancelled = 0
    public var notDone = 0
    public var callbacksExactlyOnce = 0
    public var resultTimeouts = 0
    public var waitTimeouts = 0
    public var asCompletedTimeouts = 0
    /// Threads of this run's pool still alive after `shutdown(wait: true)` (by their names).
    public var poolThreadsLeft = 0
    public var seconds = 0.0
    public var problems: [String] = []

    public var passed: Bool { problems.isEmpty }

    public var description: String {
        "stress: \(attempted) tasks submitted from threads, \(accepted) accepted, \(refusedAfterShutdown) refused after shutdown; "
            + "final states: \(returned) returned, \(threw) threw, \(cancelled) cancelled, \(notDone) not done; "
            + "callbacks exactly once: \(callbacksExactlyOnce)/\(accepted); "
            + "timeouts seen: result \(resultTimeouts), wait \(waitTimeouts), asCompleted \(asCompletedTimeouts); "
            + "pool threads left: \(poolThreadsLeft); "
            + String(format: "%.2f s", seconds) + " — " + (passed ? "PASS" : "FAIL: " + problems.joined(separator: "; "))
    }
}

private struct StressFailure: Error {}

/// Runs the stress scenario and checks its properties.
public func runStress(_ configuration: StressConfiguration = StressConfiguration()) -> StressReport {
    var report = StressReport()
    let started = ContinuousClock.now
    let pool: ThreadPoolExecutor
    // A name of its own, so that its threads can be told apart from everybody else's.
    let prefix = "stress\(stressRuns.withLock { $0 += 1; return $0 })"
    do { pool = try ThreadPoolExecutor(maxWorkers: configuration.maxWorkers, threadNamePrefix: prefix) } catch {
        report.problems.append("could not create the pool: \(error)")
        return report
    }

    let total = configuration.submitters * configuration.tasksPerSubmitter
    let shutdownAt = Int(Double(total) * configuration.shutdownAfter)
    let submittedSoFar = LockedValue(0)
    // One slot per task: how many times its done-callback ran.
    let callbackRuns = (0..<configuration.submitters).map { _ in
        LockedValue([UInt8](repeating: 0, count: configuration.tasksPerSubmitter))
    }
    let counts = LockedValue((accepted: 0, refused: 0, resultTimeouts: 0, waitTimeouts: 0, asCompletedTimeouts: 0))
    let futuresBySubmitter = LockedValue<[[Future<Int>?]]>(
        Array(repeating: [], count: configuration.submitters))
    let unexpected = LockedValue<[String]>([])

    let group = DispatchGroup()
    for submitter in 0..<configuration.submitters {
        group.enter()
        Thread {
            defer { group.leave() }
            var random = SystemRandomNumberGenerator()
            var mine = [Future<Int>?](repeating: nil, count: configuration.tasksPerSubmitter)
            var local = (accepted: 0, refused: 0, resultTimeouts: 0, waitTimeouts: 0, asCompletedTimeouts: 0)
            var recent: [Future<Int>] = []
            for index in 0..<configuration.tasksPerSubmitter {
                if submittedSoFar.withLock({ $0 += 1; return $0 }) == shutdownAt {
                    pool.shutdown(wait: false, cancelFutures: true)
                }
                let future: Future<Int>
                do {
                    future = try pool.submit { () throws -> Int in
                        if index % 5 == 0 { throw StressFailure() }
                        if index % 997 == 0 { usleep(50) }
                        return index
                    }
                } catch is ShutdownError {
                    local.refused += 1
                    continue
                } catch {
                    unexpected.withLock { $0.append("submit threw \(error)") }
                    continue
                }
                local.accepted += 1
                future.addDoneCallback { _ in callbackRuns[submitter].withLock { $0[index] &+= 1 } }
                mine[index] = future
                recent.append(future)
                switch Int.random(in: 0..<20, using: &random) {
                case 0, 1: future.cancel()
                case 2:
                    do { _ = try future.result(timeout: .microseconds(Int.random(in: 0..<30, using: &random))) }
                    catch is TimeoutError { local.resultTimeouts += 1 }
                    catch {}
                default: break
                }
                if recent.count == 200 {
                    if let (_, notDone) = try? wait(recent, timeout: .microseconds(200)), !notDone.isEmpty {
                        local.waitTimeouts += 1
                    }
                    if let completed = try? asCompleted(recent.suffix(50), timeout: .microseconds(100)) {
                        do { while try completed.next() != nil {} } catch is TimeoutError { local.asCompletedTimeouts += 1 } catch {}
                    }
                    recent.removeAll(keepingCapacity: true)
                }
            }
            counts.withLock {
                $0.accepted += local.accepted
                $0.refused += local.refused
                $0.resultTimeouts += local.resultTimeouts
                $0.waitTimeouts += local.waitTimeouts
                $0.asCompletedTimeouts += local.asCompletedTimeouts
            }
            futuresBySubmitter.withLock { $0[submitter] = mine }
        }.start()
    }
    group.wait()
    pool.shutdown(wait: true)
    report.seconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e18
        + Double((ContinuousClock.now - started).components.seconds)

    let counted = counts.withLock { $0 }
    report.attempted = total
    report.accepted = counted.accepted
    report.refusedAfterShutdown = counted.refused
    report.resultTimeouts = counted.resultTimeouts
    report.waitTimeouts = counted.waitTimeouts
    report.asCompletedTimeouts = counted.asCompletedTimeouts

    for (submitter, futures) in futuresBySubmitter.withLock({ $0 }).enumerated() {
        let runs = callbackRuns[submitter].withLock { $0 }
        for (index, future) in futures.enumerated() {
            guard let future else { continue }
            if runs[index] == 1 { report.callbacksExactlyOnce += 1 }
            // Exactly one final state: done, and exactly one of cancelled / threw / returned.
            guard future.isDone else { report.notDone += 1; continue }
            if future.isCancelled {
                report.cancelled += 1
            } else if (try? future.exception()) != nil {
                report.threw += 1
            } else if (try? future.result()) == index {
                report.returned += 1
            } else {
                report.problems.append("future \(submitter)/\(index) returned a wrong value")
            }
        }
    }
    let stats = pool.statistics
    report.poolThreadsLeft = threadNames().filter { $0.hasPrefix(prefix + "_") }.count

    report.problems += unexpected.withLock { $0 }
    func check(_ condition: Bool, _ problem: @autoclosure () -> String) {
        if !condition { report.problems.append(problem()) }
    }
    check(report.accepted + report.refusedAfterShutdown == total, "accepted + refused != submitted")
    check(report.notDone == 0, "\(report.notDone) futures never reached a final state")
    check(report.returned + report.threw + report.cancelled == report.accepted, "final states do not add up to the accepted tasks")
    check(report.callbacksExactlyOnce == report.accepted, "\(report.accepted - report.callbacksExactlyOnce) callbacks did not run exactly once")
    check(stats.submitted == report.accepted, "statistics.submitted \(stats.submitted) != accepted \(report.accepted)")
    check(stats.completed == report.returned, "statistics.completed \(stats.completed) != returned \(report.returned)")
    check(stats.failed == report.threw, "statistics.failed \(stats.failed) != threw \(report.threw)")
    check(stats.cancelled == report.cancelled, "statistics.cancelled \(stats.cancelled) != cancelled \(report.cancelled)")
    check(stats.liveWorkers == 0 && stats.running == 0 && stats.queued == 0, "pool not empty after shutdown: \(stats)")
    check(report.poolThreadsLeft == 0, "\(report.poolThreadsLeft) pool threads left behind")
    return report
}

private let stressRuns = LockedValue(0)

/// The operating-system names of this process's threads.
public func threadNames() -> [String] {
    threadSnapshots().map(\.name)
}

/// The result of `runBursts`: rounds of `map` over short tasks on a small pool, the pattern
/// that lets idle workers come and go thousands of times a second.
public struct BurstReport: Sendable, CustomStringConvertible {
    public var rounds = 0
    public var longestRound: Duration = .zero
    public var problems: [String] = []
    public var passed: Bool { problems.isEmpty }

    public var description: String {
        "bursts: \(rounds) rounds of map over 20,000 trivial items on 4 workers, longest "
            + "\(longestRound.components.seconds * 1000 + longestRound.components.attoseconds / 1_000_000_000_000_000) ms; "
            + (passed ? "every round ended and the pool counted its idle workers right — PASS"
                : problems.prefix(3).joined(separator: "; ") + " — FAIL")
    }
}

/// Rounds of `map` over trivial items on a pool of 4 workers: each round must end within 10 s
/// (a lost wake-up leaves a task in the queue with every worker asleep), and once it has ended
/// the pool may not count more idle workers than it has. This caught a lost update in the
/// parking of idle workers that only an optimized build showed.
public func runBursts(rounds: Int) -> BurstReport {
    var report = BurstReport()
    for round in 0..<rounds {
        guard let pool = try? ThreadPoolExecutor(maxWorkers: 4) else {
            report.problems.append("cannot make a pool")
            break
        }
        let ended = DispatchSemaphore(value: 0)
        let count = LockedValue(0)
        let start = ContinuousClock.now
        Thread.detachNewThread {
            let values: [Int] = (try? Array(pool.map(0..<20_000) { $0 &* 2 })) ?? []
            count.withLock { $0 = values.count }
            ended.signal()
        }
        guard ended.wait(timeout: .now() + 10) == .success else {
            report.problems.append("round \(round) did not end within 10 s: \(pool.statistics)")
            break  // the pool is stuck; leave it
        }
        report.longestRound = max(report.longestRound, ContinuousClock.now - start)
        if count.withLock({ $0 }) != 20_000 { report.problems.append("round \(round) lost results") }
        let stats = pool.statistics
        if stats.idleWorkers > stats.liveWorkers {
            report.problems.append("round \(round): \(stats.idleWorkers) idle workers counted, \(stats.liveWorkers) live")
        }
        pool.shutdown()
        report.rounds += 1
    }
    return report
}
