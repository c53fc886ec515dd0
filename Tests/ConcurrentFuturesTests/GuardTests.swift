import Foundation
import Testing
@testable import ConcurrentFutures

@Suite("Deadlock detection")
struct DeadlockDetectionTests {
    @Test func taskWaitingForATaskQueuedBehindItInAOneWorkerPool() throws {
        // Python's documented example: a task submits to its own 1-worker pool and waits.
        let pool = try ThreadPoolExecutor(maxWorkers: 1, threadNamePrefix: "solo")
        defer { pool.shutdown() }
        let inner = LockedValue<Future<Int>?>(nil)
        let outer = try pool.submit { () throws -> Int in
            let future = try pool.submit(label: "pow(5, 2)") { 5 * 5 }
            inner.withLock { $0 = future }
            return try future.result()
        }
        let start = ContinuousClock.now
        let error = caught(DeadlockError.self) { try outer.result(timeout: .seconds(10)) }
        #expect(ContinuousClock.now - start < .seconds(3), "detected within about a second")
        #expect(error?.message.contains("a task is waiting for another task of the same pool, and the only worker of the pool \"solo\" is busy waiting") == true)
        #expect(error?.message.contains("solo_0 runs task 0 and waits for task 1 (\"pow(5, 2)\")") == true)
        // The deadlock is broken: the inner task gets its turn.
        #expect(try inner.withLock { $0 }!.result(timeout: .seconds(5)) == 25)
    }

    @Test func twoTasksWaitingForEachOther() throws {
        // Python's other documented example: a waits for b, b waits for a.
        let pool = try ThreadPoolExecutor(maxWorkers: 2)
        defer { pool.shutdown() }
        let futures = LockedValue<[String: Future<Int>]>([:])
        let bothStarted = Arrivals()
        let gate = Gate()
        @Sendable func waitFor(_ name: String) throws -> Int {
            bothStarted.arrive()
            gate.wait()
            return try futures.withLock { $0[name] }!.result()
        }
        let a = try pool.submit { try waitFor("b") }
        let b = try pool.submit { try waitFor("a") }
        futures.withLock { $0 = ["a": a, "b": b] }
        #expect(bothStarted.wait(for: 2))
        gate.open()
        #expect(throws: DeadlockError.self) { try a.result(timeout: .seconds(10)) }
        #expect(throws: DeadlockError.self) { try b.result(timeout: .seconds(10)) }
    }

    @Test func waitAsCompletedAndMapInsideATaskAreWatchedToo() throws {
        let pool = try ThreadPoolExecutor(maxWorkers: 1)
        defer { pool.shutdown() }
        let viaWait = try pool.submit { () throws -> Int in
            let inner = try pool.submit { 1 }
            return try wait([inner]).done.count
        }
        #expect(throws: DeadlockError.self) { try viaWait.result(timeout: .seconds(10)) }
        let viaAsCompleted = try pool.submit { () throws -> Int in
            try Array(asCompleted([try pool.submit { 1 }])).count
        }
        #expect(throws: DeadlockError.self) { try viaAsCompleted.result(timeout: .seconds(10)) }
        let viaMap = try pool.submit { () throws -> [Int] in try Array(pool.map([1, 2]) { $0 }) }
        #expect(throws: DeadlockError.self) { try viaMap.result(timeout: .seconds(10)) }
    }

    @Test func noFalseAlarmWhenAnotherWorkerCanRunTheAwaitedTask() throws {
        try withThreadPool(maxWorkers: 2) { pool in
            let outer = try pool.submit { () throws -> Int in
                try pool.submit { usleep(700_000); return 7 }.result()
            }
            #expect(try outer.result(timeout: .seconds(10)) == 7)
        }
    }

    @Test func noFalseAlarmForWaitsWithATimeout() throws {
        let pool = try ThreadPoolExecutor(maxWorkers: 1)
        defer { pool.shutdown() }
        let outer = try pool.submit { () throws -> String in
            let inner = try pool.submit { 1 }
            do { _ = try inner.result(timeout: .milliseconds(800)) } catch is TimeoutError { return "timed out" }
            return "got it"
        }
        #expect(try outer.result(timeout: .seconds(10)) == "timed out")
    }

    @Test func noFalseAlarmWhenWaitingForAFutureFromOutsideThePool() throws {
        let external = Future<Int>()
        let pool = try ThreadPoolExecutor(maxWorkers: 1)
        defer { pool.shutdown() }
        let outer = try pool.submit { try external.result() }
        usleep(900_000)
        try external.setResult(3)
        #expect(try outer.result(timeout: .seconds(10)) == 3)
    }

    @Test func noFalseAlarmWhenWaitingForAnotherPool() throws {
        let other = try ThreadPoolExecutor(maxWorkers: 1)
        let pool = try ThreadPoolExecutor(maxWorkers: 1)
        defer { pool.shutdown(); other.shutdown() }
        let slow = try other.submit { usleep(900_000); return 4 }
        let outer = try pool.submit { try slow.result() }
        #expect(try outer.result(timeout: .seconds(10)) == 4)
    }

    @Test func noFalseAlarmForNestedTasksInABigEnoughPool() throws {
        try withThreadPool(maxWorkers: 8) { pool in
            let outers = try (0..<4).map { i in
                try pool.submit { () throws -> Int in
                    try pool.submit { usleep(600_000); return i }.result() * 10
                }
            }
            #expect(try outers.map { try $0.result(timeout: .seconds(10)) } == [0, 10, 20, 30])
        }
    }

    @Test func detectionCanBeSwitchedOff() throws {
        let pool = try ThreadPoolExecutor(maxWorkers: 1, detectsDeadlocks: false)
        defer { pool.shutdown() }
        let outer = try pool.submit { () throws -> String in
            let inner = try pool.submit { 1 }
            // Without detection only the timeout ends this wait.
            do { _ = try inner.result(timeout: .milliseconds(1200)) } catch is TimeoutError { return "timed out" }
            return "got it"
        }
        #expect(try outer.result(timeout: .seconds(10)) == "timed out")
    }
}

@Suite("Errors nobody looked at", .serialized)
struct UnretrievedErrorTests {
    /// Reports about errors tagged `tag` collected while `body` runs.
    func reports(tagged tag: Int, _ body: () throws -> Void) rethrows -> [FutureDiagnostics.Report] {
        try capturingDiagnostics(body).filter {
            $0.kind == .errorNeverRetrieved && ($0.error as? TestError)?.tag == tag
        }
    }

    @Test func failedFutureReleasedUnreadIsReported() throws {
        let found = try reports(tagged: 701) {
            try withThreadPool(maxWorkers: 1, threadNamePrefix: "reporter") { pool in
                _ = try pool.submit(label: "parse config") { () throws -> Int in throw TestError(701) }
            }
        }
        #expect(found.count == 1)
        #expect(found.first?.message == "ConcurrentFutures: error never retrieved from task 0 (\"parse config\") of reporter: TestError(701)")
    }

    @Test func readingTheErrorInAnyWayMeansNoReport() async throws {
        let pool = try ThreadPoolExecutor(maxWorkers: 2)
        defer { pool.shutdown() }
        let found = try reports(tagged: 702) {
            let viaResult = try pool.submit { () throws -> Int in throw TestError(702) }
            _ = try? viaResult.result()
            let viaException = try pool.submit { () throws -> Int in throw TestError(702) }
            _ = try viaException.exception()
            let viaCallback = try pool.submit { () throws -> Int in throw TestError(702) }
            viaCallback.addDoneCallback { _ in }
            _ = try wait([viaCallback])
            let viaMap = try pool.map([1]) { _ throws -> Int in throw TestError(702) }
            _ = try? viaMap.next()
        }
        #expect(found.isEmpty)
        let viaValue = try pool.submit { () throws -> Int in throw TestError(703) }
        let valueReports = await capturingDiagnostics {
            _ = try? await viaValue.value
        }
        #expect(!valueReports.contains { ($0.error as? TestError)?.tag == 703 })
    }

    @Test func successesAndCancellationsAreNotReported() throws {
        let found = capturingDiagnostics {
            let cancelled = Future<Int>()
            cancelled.cancel()
            let succeeded = Future<Int>()
            try? succeeded.setResult(1)
        }
        #expect(found.filter { $0.kind == .errorNeverRetrieved }.isEmpty)
    }

    @Test func reportingCanBeSwitchedOff() throws {
        FutureDiagnostics.reportsUnretrievedErrors = false
        defer { FutureDiagnostics.reportsUnretrievedErrors = true }
        let found = try reports(tagged: 704) {
            let future = Future<Int>()
            try future.setException(TestError(704))
        }
        #expect(found.isEmpty)
    }

    @Test func handMadeFutureIsDescribedAsSuch() throws {
        let found = try reports(tagged: 705) {
            let future = Future<Int>()
            try future.setException(TestError(705))
        }
        #expect(found.first?.subject == "a future made with Future()")
    }
}

extension UnretrievedErrorTests {
    @Test func futuresDroppedByMapAfterItsErrorAreNotReported() throws {
        let found = try reports(tagged: 706) {
            try withThreadPool(maxWorkers: 1) { pool in
                // Every call fails; map throws the first error, and drops the rest.
                let results = try pool.map(0..<5) { _ throws -> Int in throw TestError(706) }
                #expect(throws: TestError(706)) { try results.next() }
            }
        }
        #expect(found.isEmpty)
    }
}
