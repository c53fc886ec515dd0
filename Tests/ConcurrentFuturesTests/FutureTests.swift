import Foundation
import SystemPlatform
import Dispatch
import Testing
import Synchronization
@testable import ConcurrentFutures

@Suite("Future: states, results, callbacks")
struct FutureTests {
    @Test func newFutureIsPending() {
        let future = Future<Int>()
        #expect(!future.isDone && !future.isRunning && !future.isCancelled)
        #expect(future.description.contains("state=pending"))
    }

    @Test func setResultFinishes() throws {
        let future = Future<Int>()
        try future.setResult(42)
        #expect(future.isDone && !future.isRunning && !future.isCancelled)
        #expect(try future.result() == 42)
        #expect(try future.exception() == nil)
        #expect(future.description.contains("state=finished returned Int"))
    }

    @Test func setExceptionIsRethrownByResult() throws {
        let future = Future<Int>()
        try future.setException(TestError(7))
        #expect(throws: TestError(7)) { try future.result() }
        #expect(try future.exception() as? TestError == TestError(7))
        #expect(future.description.contains("raised TestError"))
    }

    @Test func settingTwiceThrowsInvalidStateError() throws {
        let future = Future<Int>()
        try future.setResult(1)
        #expect(throws: InvalidStateError.self) { try future.setResult(2) }
        #expect(throws: InvalidStateError.self) { try future.setException(TestError()) }
        #expect(try future.result() == 1)

        let cancelled = Future<Int>()
        cancelled.cancel()
        #expect(throws: InvalidStateError.self) { try cancelled.setResult(2) }
    }

    @Test func cancelSucceedsOnlyWhilePending() throws {
        let pending = Future<Int>()
        #expect(pending.cancel())
        #expect(pending.isCancelled && pending.isDone)
        #expect(pending.cancel(), "cancelling twice still reports cancelled")
        #expect(throws: CancelledError.self) { try pending.result() }
        #expect(throws: CancelledError.self) { try pending.exception() }

        let running = Future<Int>()
        #expect(try running.setRunningOrNotifyCancel())
        #expect(running.isRunning)
        #expect(!running.cancel())
        #expect(!running.isCancelled)

        let finished = Future<Int>()
        try finished.setResult(1)
        #expect(!finished.cancel())
    }

    @Test func setRunningOrNotifyCancel() throws {
        let cancelled = Future<Int>()
        cancelled.cancel()
        #expect(try cancelled.setRunningOrNotifyCancel() == false)

        let running = Future<Int>()
        #expect(try running.setRunningOrNotifyCancel())
        #expect(throws: InvalidStateError.self) { try running.setRunningOrNotifyCancel() }
        try running.setResult(3)
        #expect(throws: InvalidStateError.self) { try running.setRunningOrNotifyCancel() }
    }

    @Test func resultTimesOutAndLeavesTheFuturePending() throws {
        let future = Future<Int>()
        let error = caught(TimeoutError.self) { try future.result(timeout: .milliseconds(20)) }
        #expect(error?.message.contains("20") == true)
        #expect(throws: TimeoutError.self) { try future.exception(timeout: .zero) }
        #expect(!future.isDone)
        try future.setResult(5)
        #expect(try future.result(timeout: .zero) == 5)
    }

    @Test func negativeTimeoutIsRejected() {
        let future = Future<Int>()
        let error = caught(InvalidArgumentError.self) { try future.result(timeout: .milliseconds(-1)) }
        #expect(error?.message.contains("timeout must not be negative") == true)
    }

    @Test func resultWaitsForAnotherThread() throws {
        let future = Future<String>()
        let gate = Gate()
        runOnThreads(1) { _ in gate.open() }
        gate.wait()
        runOnThreads(1) { _ in try? future.setResult("hello") }
        #expect(try future.result(timeout: .seconds(5)) == "hello")
    }

    @Test func blockedResultIsWokenByCancel() throws {
        let future = Future<Int>()
        let waiting = Arrivals()
        let outcome = LockedValue<String>("")
        let group = Thread.detachNewThreadForTest {
            waiting.arrive()
            do { _ = try future.result(timeout: .seconds(5)); outcome.withLock { $0 = "value" } }
            catch is CancelledError { outcome.withLock { $0 = "cancelled" } }
            catch { outcome.withLock { $0 = "\(error)" } }
        }
        #expect(waiting.wait(for: 1))
        usleep(20_000)
        #expect(future.cancel())
        group.wait()
        #expect(outcome.withLock { $0 } == "cancelled")
    }

    @Test func callbacksRunOnceInOrderWhenDone() throws {
        let future = Future<Int>()
        let log = LockedValue<[String]>([])
        future.addDoneCallback { f in let v = try f.result(); log.withLock { $0.append("a\(v)") } }
        future.addDoneCallback { f in let v = try f.result(); log.withLock { $0.append("b\(v)") } }
        #expect(log.withLock { $0 }.isEmpty)
        try future.setResult(1)
        #expect(log.withLock { $0 } == ["a1", "b1"])
        #expect(throws: InvalidStateError.self) { try future.setResult(2) }
        #expect(log.withLock { $0 } == ["a1", "b1"], "callbacks never run twice")
    }

    @Test func callbackAddedToDoneFutureRunsAtOnceOnCallersThread() throws {
        let future = Future<Int>()
        try future.setResult(1)
        let callerThread = currentThreadID()
        let ranOn = LockedValue<UInt64?>(nil)
        future.addDoneCallback { _ in ranOn.withLock { $0 = currentThreadID() } }
        #expect(ranOn.withLock { $0 } == callerThread)
    }

    @Test func callbacksRunOnCancel() {
        let future = Future<Int>()
        let sawCancelled = LockedValue(false)
        future.addDoneCallback { f in sawCancelled.withLock { $0 = f.isCancelled } }
        future.cancel()
        #expect(sawCancelled.withLock { $0 })
    }

    @Test func callbackMayCallBackIntoTheFuture() throws {
        // Callbacks run outside the future's lock: re-entering must not deadlock.
        let future = Future<Int>()
        let seen = LockedValue(0)
        future.addDoneCallback { f in
            f.addDoneCallback { g in let v = try g.result(); seen.withLock { $0 = v } }
        }
        try future.setResult(9)
        #expect(seen.withLock { $0 } == 9)
    }

    @Test func futuresCompareByIdentity() {
        let a = Future<Int>(), b = Future<Int>()
        #expect(a == a && a != b)
        #expect(Set([a, b, a]).count == 2)
        #expect(a.erased == a.erased && a.erased != b.erased)
        #expect(a.erased.as(Future<Int>.self) === a)
        #expect(a.erased.as(Future<String>.self) == nil)
    }

    @Test func everyWaiterOfAFutureHearsOfItsEndAfterTheFirstLeaves() throws {
        // A future keeps its first waiter in line and the others in an array. Here the first
        // (an asCompleted) leaves before the end, between two threads waiting in result().
        let future = Future<Int>()
        var first: AsCompleted<Future<Int>>? = try asCompleted([future])
        let results = LockedValue<[Int]>([])
        let waiting = Arrivals()
        func waitingThread() -> Thread {
            Thread {
                waiting.arrive()
                if let value = try? future.result(timeout: .seconds(5)) { results.withLock { $0.append(value) } }
            }
        }
        let threadA = waitingThread()
        threadA.start()
        #expect(waiting.wait(for: 1))
        Thread.sleep(forTimeInterval: 0.05)  // let it register behind the asCompleted
        #expect(first != nil)
        first = nil  // the first registration leaves
        let threadB = waitingThread()
        threadB.start()
        #expect(waiting.wait(for: 2))
        Thread.sleep(forTimeInterval: 0.05)
        try future.setResult(7)
        for _ in 0..<500 where results.withLock({ $0.count }) < 2 { Thread.sleep(forTimeInterval: 0.01) }
        #expect(results.withLock { $0 } == [7, 7])
    }

    @Test(.timeLimit(.minutes(1)))
    func endingAFutureWhoseCallbackHoldsTheLastReferenceToAnotherDoesNotDeadlock() {
        // Futures share 256 lock stripes (FutureLock). If cancel() or setResult() released the
        // callbacks inside the future's lock, the other future's deinit would lock its own
        // stripe right there; when that is the same stripe, the thread waits for itself
        // forever. So: find pairs that share a stripe, then cancel one and finish another.
        var spacers: [Future<Int>] = []  // shift the addresses, so that stripes vary
        func futureWhoseCallbackHoldsTheOnlyReferenceToAnother() -> (future: Future<Int>, sharesStripe: Bool) {
            let other = Future<Int>()
            if spacers.count > 10_000 { spacers.removeAll() }
            spacers += (0..<Int.random(in: 0...7)).map { _ in Future<Int>() }
            let future = Future<Int>()
            let sharesStripe = FutureLock.sharesMutex(future, other)
            future.addDoneCallback { _ in _ = other }
            return (future, sharesStripe)
        }
        var cancelled = false
        var finished = false
        for _ in 0..<200_000 where !(cancelled && finished) {
            let (future, sharesStripe) = futureWhoseCallbackHoldsTheOnlyReferenceToAnother()
            guard sharesStripe else { continue }
            if !cancelled {
                #expect(future.cancel())
                cancelled = true
            } else {
                #expect(throws: Never.self) { try future.setResult(1) }
                finished = true
            }
        }
        #expect(cancelled && finished, "no two futures on the same stripe were found")
    }
}

@Suite("Diagnostics", .serialized)
struct DiagnosticsTests {
    @Test func throwingCallbackIsReportedAndChangesNothingElse() throws {
        let future = Future<Int>()
        let later = LockedValue(false)
        future.addDoneCallback { _ in throw TestError(99) }
        future.addDoneCallback { _ in later.withLock { $0 = true } }
        let reports = try capturingDiagnostics { try future.setResult(1) }
        let mine = reports.filter { $0.kind == .callbackError && $0.error as? TestError == TestError(99) }
        #expect(mine.count == 1)
        #expect(mine.first?.message.contains("exception calling callback for <Future<Int>") == true)
        #expect(later.withLock { $0 }, "the next callback still ran")
        #expect(try future.result() == 1)
    }

    @Test func throwingCallbackOnPoolThreadDoesNotBreakThePool() throws {
        let reports = try capturingDiagnostics {
            try withThreadPool(maxWorkers: 1) { pool in
                let first = try pool.submit { 1 }
                first.addDoneCallback { _ in throw TestError(5) }
                _ = try first.result()
                #expect(try pool.submit { 2 }.result(timeout: .seconds(5)) == 2)
            }
        }
        #expect(reports.contains { $0.error as? TestError == TestError(5) })
    }
}

extension Thread {
    /// Starts a thread running `body`; the returned group is left when it ends.
    static func detachNewThreadForTest(_ body: @escaping @Sendable () -> Void) -> DispatchGroup {
        let group = DispatchGroup()
        group.enter()
        Thread { body(); group.leave() }.start()
        return group
    }
}

/// Done-callbacks that complete other futures (issue 12): a chain of any length runs, in order,
/// on the completing thread, without overflowing its stack.
@Suite("Callback chains")
struct CallbackChainTests {
    /// `count` futures, each with a callback that cancels the next one.
    private func chain(_ count: Int, record: LockedValue<[Int]>) -> [Future<Int>] {
        let futures = (0..<count).map { _ in Future<Int>() }
        for index in 0..<count {
            let next = index + 1 < count ? futures[index + 1] : nil
            futures[index].addDoneCallback { _ in
                record.withLock { $0.append(index) }
                next?.cancel()
            }
        }
        return futures
    }

    @Test func aLongChainOfCallbacksCancellingTheNextFutureDoesNotOverflowTheStack() throws {
        // 100,000 nested calls would need far more stack than a thread has (8 MiB here; the
        // debug build overflowed at about 10,000). Run it on a thread with a small stack, so
        // that any unbounded nesting fails the same way everywhere.
        let record = LockedValue<[Int]>([])
        let futures = chain(100_000, record: record)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            futures[0].cancel()
            finished.signal()
        }
        thread.stackSize = 512 << 10
        thread.start()
        #expect(finished.wait(timeout: .now() + 60) == .success)
        #expect(futures.allSatisfy { $0.isCancelled })
        #expect(record.withLock { $0 } == Array(0..<100_000), "every callback ran once, in chain order")
    }

    @Test func aShortChainRunsNestedBeforeCancelReturns() throws {
        let record = LockedValue<[Int]>([])
        let futures = chain(10, record: record)
        #expect(futures[0].cancel())
        #expect(record.withLock { $0 } == Array(0..<10), "all ran before cancel() returned")
        #expect(futures.allSatisfy { $0.isCancelled })
    }

    @Test func callbacksOfAChainThatSetsResultsRunOnTheCompletingThread() throws {
        let count = 5_000
        let futures = (0..<count).map { _ in Future<Int>() }
        let threads = LockedValue<Set<UInt64>>([])
        for index in 0..<count {
            futures[index].addDoneCallback { future in
                threads.withLock { _ = $0.insert(currentThreadID()) }
                if index + 1 < count { try futures[index + 1].setResult(try future.result() + 1) }
            }
        }
        try futures[0].setResult(0)
        #expect(try futures[count - 1].result() == count - 1)
        #expect(threads.withLock { $0 } == [currentThreadID()])
    }
}

@Suite("BriefWatch: a waiting thread watches before it sleeps")
struct BriefWatchTests {
    @Test func whatIsAlreadyDoneIsSeenAtTheFirstLook() {
        var looks = 0
        #expect(BriefWatch.until(deadline: nil) { looks += 1; return true })
        #expect(looks == 1)
    }

    @Test func whatEndsDuringTheWatchIsSeenWithoutSleeping() {
        var looks = 0
        // The second look is certain, however long the first yield took: the watch ends with one.
        #expect(BriefWatch.until(deadline: nil) { looks += 1; return looks == 2 })
        #expect(looks == 2)
    }

    @Test func whatNeverEndsIsGivenUpSoThatTheThreadCanSleep() {
        var looks = 0
        #expect(!BriefWatch.until(deadline: nil) { looks += 1; return false })
        #expect(looks >= 2)  // at least one look before and one after the watch time
    }

    @Test func aDeadlineThatHasPassedGetsOneLookAndOneLastLook() {
        var looks = 0
        #expect(!BriefWatch.until(deadline: .now.advanced(by: .seconds(-1))) { looks += 1; return false })
        #expect(looks == 2)
    }

    /// `result()` still sleeps, and is woken, when the task takes longer than the watch.
    @Test func aResultLongerThanTheWatchIsStillDelivered() throws {
        let pool = try ThreadPoolExecutor(maxWorkers: 1)
        defer { pool.shutdown() }
        let gate = Gate()
        let future = try pool.submit { gate.wait(); return 7 }
        let opener = try ThreadPoolExecutor(maxWorkers: 1)
        defer { opener.shutdown() }
        try opener.submit { usleep(20_000); gate.open() }
        #expect(try future.result(timeout: .seconds(10)) == 7)
    }
}
