import Foundation
import Testing
import Synchronization
@testable import ConcurrentFutures

/// Several threads submit, cancel and wait at once. Afterwards every future must be in exactly
/// one final state and every callback must have run exactly once.
@Suite("Races")
struct RaceTests {
    /// 8 × 10,000 in a normal run; smaller under the thread sanitizer, which is ~10× slower.
    static let tasksPerThread = ProcessInfo.processInfo.environment["CF_RACE_TASKS"].flatMap(Int.init) ?? 10_000

    @Test func manyThreadsSubmitCancelAndWait() throws {
        let pool = try ThreadPoolExecutor(maxWorkers: 4)
        let submitters = 8
        let perThread = Self.tasksPerThread
        let callbackRuns = LockedValue([[Int]](repeating: [Int](repeating: 0, count: perThread), count: submitters))
        let outcomes = LockedValue((values: 0, errors: 0, cancelled: 0, timeouts: 0))
        let allFutures = LockedValue<[Future<Int>]>([])

        runOnThreads(submitters) { thread in
            var generator = SystemRandomNumberGenerator()
            var mine: [Future<Int>] = []
            mine.reserveCapacity(perThread)
            for index in 0..<perThread {
                let future = try! pool.submit { () throws -> Int in
                    if index % 7 == 0 { throw TestError(index) }
                    if index % 1000 == 0 { usleep(100) }
                    return index
                }
                future.addDoneCallback { _ in callbackRuns.withLock { $0[thread][index] += 1 } }
                mine.append(future)
                switch Int.random(in: 0..<10, using: &generator) {
                case 0: future.cancel()
                case 1: _ = try? future.result(timeout: .microseconds(Int.random(in: 0..<50, using: &generator)))
                default: break
                }
            }
            // Wait on our own futures in the three ways the library offers.
            switch thread % 3 {
            case 0: _ = try? wait(mine, timeout: .seconds(30))
            case 1: _ = try? Array(asCompleted(mine, timeout: .seconds(30)))
            default: for future in mine { _ = try? future.exception(timeout: .seconds(30)) }
            }
            allFutures.withLock { $0.append(contentsOf: mine) }
        }
        pool.shutdown(wait: true)

        for future in allFutures.withLock({ $0 }) {
            _ = try? future.exception()  // read every error: none is reported as never retrieved
            switch future.state {
            case .finished(.success): outcomes.withLock { $0.values += 1 }
            case .finished(.failure): outcomes.withLock { $0.errors += 1 }
            case .cancelled, .cancelledAndNotified: outcomes.withLock { $0.cancelled += 1 }
            case .pending, .running: outcomes.withLock { $0.timeouts += 1 }
            }
        }
        let counted = outcomes.withLock { $0 }
        let total = submitters * perThread
        #expect(counted.timeouts == 0, "every future reached a final state")
        #expect(counted.values + counted.errors + counted.cancelled == total)
        #expect(counted.cancelled > 0 && counted.errors > 0 && counted.values > 0)
        let runs = callbackRuns.withLock { $0 }
        #expect(runs.allSatisfy { $0.allSatisfy { $0 == 1 } }, "every callback ran exactly once")
        let stats = pool.statistics
        #expect(stats.submitted == total)
        #expect(stats.completed == counted.values)
        #expect(stats.failed == counted.errors)
        #expect(stats.cancelled == counted.cancelled)
        #expect(stats.liveWorkers == 0 && stats.running == 0 && stats.queued == 0)
    }

    @Test func cancelRacingWithStartEndsInOneState() throws {
        // The worker's setRunningOrNotifyCancel and the caller's cancel race: exactly one wins.
        let pool = try ThreadPoolExecutor(maxWorkers: 2)
        defer { pool.shutdown() }
        let ran = LockedValue(0)
        var cancelled = 0
        for _ in 0..<5_000 {
            let future = try pool.submit { ran.withLock { $0 += 1 } }
            if future.cancel() { cancelled += 1 }
        }
        pool.shutdown()
        #expect(ran.withLock { $0 } + cancelled == 5_000)
        #expect(pool.statistics.cancelled == cancelled)
    }

    @Test func concurrentSetResultOnlyOneWins() {
        for _ in 0..<500 {
            let future = Future<Int>()
            let winners = LockedValue(0)
            let callbacks = LockedValue(0)
            future.addDoneCallback { _ in callbacks.withLock { $0 += 1 } }
            runOnThreads(4) { i in
                switch i {
                case 0: if (try? future.setResult(1)) != nil { winners.withLock { $0 += 1 } }
                case 1: if (try? future.setException(TestError())) != nil { winners.withLock { $0 += 1 } }
                case 2: if future.cancel() && future.isCancelled { winners.withLock { $0 += 1 } }
                default: future.addDoneCallback { _ in callbacks.withLock { $0 += 1 } }
                }
            }
            #expect(winners.withLock { $0 } == 1)
            #expect(callbacks.withLock { $0 } == 2)
        }
    }

    @Test func shutdownRacingWithSubmitLosesNothing() throws {
        // Every submit either throws ShutdownError or returns a future that completes.
        for _ in 0..<50 {
            let pool = try ThreadPoolExecutor(maxWorkers: 2)
            let accepted = LockedValue<[Future<Int>]>([])
            let refused = LockedValue(0)
            runOnThreads(4) { i in
                if i == 3 { usleep(50); pool.shutdown(wait: false); return }
                for n in 0..<200 {
                    do { let f = try pool.submit { n }; accepted.withLock { $0.append(f) } }
                    catch is ShutdownError { refused.withLock { $0 += 1 } }
                    catch { Issue.record("unexpected \(error)") }
                }
            }
            pool.shutdown(wait: true)
            let futures = accepted.withLock { $0 }
            #expect(futures.allSatisfy { $0.isDone && !$0.isCancelled })
            #expect(futures.count + refused.withLock { $0 } == 600)
        }
    }
}
