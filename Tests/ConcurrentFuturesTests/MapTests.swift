import Foundation
import Testing
import Synchronization
@testable import ConcurrentFutures

@Suite("Executor.map")
struct MapTests {
    @Test func resultsComeInInputOrder() throws {
        let squares = try withThreadPool(maxWorkers: 4) { pool in
            // Later items finish first; the order must still be the input's.
            try Array(pool.map(0..<20) { i -> Int in usleep(UInt32(20 - i) * 300); return i * i })
        }
        #expect(squares == (0..<20).map { $0 * $0 })
    }

    @Test func emptyInputGivesNoResults() throws {
        try withThreadPool(maxWorkers: 2) { pool in
            let none = try Array(pool.map([Int]()) { $0 })
            #expect(none == [])
        }
    }

    @Test func severalInputsViaZip() throws {
        try withThreadPool(maxWorkers: 2) { pool in
            let sums = try Array(pool.map(zip([1, 2, 3], [10, 20, 30])) { $0 + $1 })
            #expect(sums == [11, 22, 33])
        }
    }

    @Test func iterationIsLazyAndBlocksPerItem() throws {
        try withThreadPool(maxWorkers: 2) { pool in
            let gate = Gate()
            let results = try pool.map([0, 1]) { i -> Int in if i == 1 { gate.wait() }; return i }
            #expect(try results.next() == 0, "the first result is available before the second is done")
            gate.open()
            #expect(try results.next() == 1)
            #expect(try results.next() == nil)
        }
    }

    @Test func errorIsRethrownAtItsItemAndTheRestCancelled() throws {
        let ran = LockedValue<Set<Int>>([])
        // The calls after the error wait at a gate until the error has come out of `next()`:
        // the only worker cannot run through all 50 before that, however slowly this thread
        // is scheduled (with a 200 µs sleep instead, it did once, in CI).
        let errorSeen = Gate()
        try withThreadPool(maxWorkers: 1) { pool in
            let results = try pool.map(0..<50) { i -> Int in
                ran.withLock { _ = $0.insert(i) }
                if i == 2 { throw TestError(2) }
                if i > 2 { errorSeen.wait() }
                return i
            }
            #expect(try results.next() == 0)
            #expect(try results.next() == 1)
            #expect(throws: TestError(2)) { try results.next() }
            errorSeen.open()
            #expect(try results.next() == nil, "iteration ends after the error")
        }
        #expect(ran.withLock { $0.count } < 50, "calls not yet started were cancelled")
    }

    @Test func timeoutIsADeadlineFromTheCallOfMap() throws {
        try withThreadPool(maxWorkers: 1) { pool in
            let gate = Gate()
            let results = try pool.map([0, 1, 2], timeout: .milliseconds(50)) { i -> Int in
                if i == 1 { gate.wait() }
                return i
            }
            #expect(try results.next() == 0)
            #expect(throws: TimeoutError.self) { try results.next() }
            #expect(try results.next() == nil)
            gate.open()
        }
    }

    @Test func droppingResultsPartWayCancelsWhatHasNotStarted() throws {
        let ran = Arrivals()
        try withThreadPool(maxWorkers: 1) { pool in
            let gate = Gate()
            let started = Arrivals()
            var results: MapResults<Int>? = try pool.map(0..<100) { i in
                if i == 1 { started.arrive(); gate.wait() }
                ran.arrive()
                return i
            }
            #expect(try results?.next() == 0, "iteration has started")
            #expect(started.wait(for: 1))
            results = nil
            gate.open()
        }
        #expect(ran.value == 2, "only the tasks already run or running ran; \(ran.value) ran")
    }

    @Test func droppingResultsBeforeIteratingRunsEveryCall() throws {
        // Python: `executor.map(fn, items)` without iterating, then `shutdown(wait=True)`, runs
        // every call (its generator's clean-up only runs once iteration has started).
        let ran = Arrivals()
        try withThreadPool(maxWorkers: 1) { pool in
            let gate = Gate()
            let started = Arrivals()
            var results: MapResults<Int>? = try pool.map(0..<10) { i in
                if i == 0 { started.arrive(); gate.wait() }
                ran.arrive()
                if i == 5 { throw TestError(5_051) }
                return i
            }
            #expect(started.wait(for: 1))
            let reports = capturingDiagnostics {
                _ = results
                results = nil
                gate.open()
                pool.shutdown(wait: true)
            }
            let mine = reports.filter { $0.error as? TestError == TestError(5_051) }
            #expect(mine.isEmpty, "map's own futures are not reported as never retrieved")
        }
        #expect(ran.value == 10, "every call ran; \(ran.value) ran")
    }

    @Test func aHugeChunkSizeCostsOnlyTheItemsThatExist() throws {
        let pool = try ThreadPoolExecutor(maxWorkers: 2)
        defer { pool.shutdown() }
        let doubled = try Array(pool.map(0..<10, chunkSize: Int.max) { $0 * 2 })
        #expect(doubled == (0..<10).map { $0 * 2 })
        let huge = try Array(pool.map(0..<10, chunkSize: 1 << 33) { $0 })
        #expect(huge == Array(0..<10))
        let lazy = try Array(pool.map((0..<5).lazy.map { $0 }, chunkSize: Int.max) { $0 })
        #expect(lazy == Array(0..<5))
    }

    @Test func badArgumentsAreRejectedWithTheirNames() throws {
        try withThreadPool(maxWorkers: 1) { pool in
            let zero = caught(InvalidArgumentError.self) { try pool.map([1], chunkSize: 0) { $0 } }
            #expect(zero?.message == "chunkSize must be >= 1, got 0")
            let buffer = caught(InvalidArgumentError.self) { try pool.map([1], bufferSize: 0) { $0 } }
            #expect(buffer?.message == "bufferSize must be >= 1, got 0")
            let timeout = caught(InvalidArgumentError.self) { try pool.map([1], timeout: .seconds(-1)) { $0 } }
            #expect(timeout?.message.contains("timeout must not be negative") == true)
            #expect(pool.statistics.submitted == 0, "nothing was submitted for bad input")
        }
    }

    @Test(arguments: [1, 2, 3, 7, 100])
    func chunkingKeepsOrderAndSubmitsOneTaskPerChunk(_ chunkSize: Int) throws {
        try withThreadPool(maxWorkers: 2) { pool in
            let results = try Array(pool.map(0..<25, chunkSize: chunkSize) { $0 * 2 })
            #expect(results == (0..<25).map { $0 * 2 })
            #expect(pool.statistics.submitted == (25 + chunkSize - 1) / chunkSize)
        }
    }

    @Test func errorInsideAChunkKeepsTheValuesBeforeIt() throws {
        try withThreadPool(maxWorkers: 2) { pool in
            let results = try pool.map(0..<10, chunkSize: 4) { i -> Int in
                if i == 6 { throw TestError(6) }
                return i
            }
            var seen: [Int] = []
            #expect(throws: TestError(6)) { while let value = try results.next() { seen.append(value) } }
            #expect(seen == [0, 1, 2, 3, 4, 5])
        }
    }

    @Test func bufferSizeLimitsHowFarSubmissionRunsAhead() throws {
        try withThreadPool(maxWorkers: 2) { pool in
            let results = try pool.map(0..<100, bufferSize: 3) { $0 }
            #expect(pool.statistics.submitted == 3)
            #expect(try results.next() == 0)
            #expect(pool.statistics.submitted == 4)
            var rest: [Int] = []
            while let value = try results.next() { rest.append(value) }
            #expect(rest == Array(1..<100))
            #expect(pool.statistics.submitted == 100)
        }
    }

    @Test func bufferSizeWorksWithAnEndlessInput() throws {
        try withThreadPool(maxWorkers: 2) { pool in
            let naturals = sequence(first: 0) { $0 + 1 }
            let results = try pool.map(naturals, bufferSize: 4) { $0 * $0 }
            var firstTen: [Int] = []
            while firstTen.count < 10, let value = try results.next() { firstTen.append(value) }
            #expect(firstTen == (0..<10).map { $0 * $0 })
        }
    }

    @Test func forEachVisitsInOrder() throws {
        try withThreadPool(maxWorkers: 3) { pool in
            var seen: [String] = []
            try pool.map(["a", "b", "c"]) { $0.uppercased() }.forEach { seen.append($0) }
            #expect(seen == ["A", "B", "C"])
        }
    }

    @Test func mapUsesSeveralWorkers() throws {
        let probe = ConcurrencyProbe()
        let arrivals = Arrivals()
        let gate = Gate()
        try withThreadPool(maxWorkers: 4) { pool in
            let results = try pool.map(0..<8) { i -> Int in probe.run { arrivals.arrive(); gate.wait() }; return i }
            #expect(arrivals.wait(for: 4))
            gate.open()
            #expect(try Array(results) == Array(0..<8))
        }
        #expect(probe.peak == 4)
    }
}
