import ConcurrentFutures
import Foundation
import SystemPlatform
import ProcessPoolTestTasks
import Testing

extension ProcessPoolTests {
    @Suite("ProcessPoolExecutor: initializer, maxTasksPerChild, cancel, shutdown")
    struct Lifecycle {
        // MARK: Initializer

        @Test func theInitializerRunsOnceInEachWorker() throws {
            let pool = try makeTestPool(maxWorkers: 2, initializer: .task(SetGreeting.self, "hello"))
            defer { pool.shutdown() }
            // Two slow calls at once start both workers; then every worker reports its state.
            let pids = try (0..<2).map { _ in try pool.submit(SleepThenReportPID.self, 100) }.map { try $0.result() }
            #expect(Set(pids).count == 2)
            let greetings = try Array(pool.map(ReadGreeting.self, 0..<20))
            for greeting in greetings {
                #expect(greeting.hasPrefix("hello #1 from "), "initialized exactly once: \(greeting)")
            }
        }

        @Test func aFailingInitializerBreaksThePool() throws {
            let pool = try makeTestPool(maxWorkers: 1, initializer: .task(FailingInitializer.self, "no database"))
            defer { pool.shutdown() }
            let future = try pool.submit(Square.self, 2)
            let error = try #require(caught(BrokenProcessPool.self) { try future.result(timeout: .seconds(10)) })
            #expect(error.message.contains("initializer"))
            #expect(error.initializerError?.typeName == "TestTaskError")
            #expect(error.initializerError?.message == "rejected: no database")
            #expect(throws: BrokenProcessPool.self) { try pool.submit(Square.self, 3) }
        }

        @Test func anUnregisteredInitializerIsRejected() {
            #expect(throws: ProcessPoolError(.unregisteredTask("NotRegistered"))) {
                try makeTestPool(initializer: .task(NotRegistered.self, 1))
            }
        }

        // MARK: maxTasksPerChild

        @Test func workersAreReplacedAfterMaxTasksPerChild() throws {
            let pool = try makeTestPool(maxWorkers: 1, maxTasksPerChild: 2)
            defer { pool.shutdown() }
            let pids = try Array(pool.map(SleepThenReportPID.self, Array(repeating: 1, count: 7)))
            // 7 calls, 2 per worker: 4 workers, one after the other, none lost.
            let callsPerWorker = Dictionary(grouping: pids, by: { $0 }).mapValues(\.count)
            #expect(callsPerWorker.count == 4)
            #expect(callsPerWorker.values.sorted() == [1, 2, 2, 2])
            pool.shutdown()
            for pid in callsPerWorker.keys { #expect(isCollected(pid), "worker \(pid) was collected") }
        }

        @Test func maxTasksPerChildCountsChunksAndLosesNothing() throws {
            let pool = try makeTestPool(maxWorkers: 2, maxTasksPerChild: 1)
            defer { pool.shutdown() }
            let inputs = Array(0..<200)
            #expect(try Array(pool.map(Square.self, inputs, chunkSize: 7)) == inputs.map { $0 * $0 })
            #expect(pool.statistics.completed == 29)  // 200 inputs in chunks of 7
        }

        // MARK: Cancelling

        @Test func aCallNotYetSentCanBeCancelled() throws {
            let pool = try makeTestPool(maxWorkers: 1)
            defer { pool.shutdown() }
            // The worker runs one call and has the next one waiting: both are sent.
            let sent = try (0..<2).map { _ in try pool.submit(SleepThenReportPID.self, 300) }
            #expect(eventually { sent.allSatisfy { $0.isRunning } })
            let queued = try pool.submit(Square.self, 5)
            #expect(!sent[0].cancel(), "a call sent to a worker cannot be cancelled")
            #expect(queued.cancel())
            #expect(throws: CancelledError.self) { try queued.result() }
            for future in sent { _ = try future.result(timeout: .seconds(10)) }
            #expect(pool.statistics.cancelled == 1)
        }

        // MARK: Shutting down

        @Test func shutdownWaitsForQueuedCallsAndCollectsTheWorkers() throws {
            let pool = try makeTestPool(maxWorkers: 2)
            let futures = try (0..<6).map { _ in try pool.submit(SleepThenReportPID.self, 30) }
            pool.shutdown(wait: true)
            #expect(futures.allSatisfy { $0.isDone })
            let pids = try Set(futures.map { try $0.result() })
            #expect(pool.workerProcessIDs.isEmpty)
            for pid in pids { #expect(isCollected(pid)) }
            #expect(throws: ShutdownError.self) { try pool.submit(Square.self, 1) }
        }

        @Test func shutdownWithoutWaitReturnsAtOnceAndTheWorkStillFinishes() throws {
            let pool = try makeTestPool(maxWorkers: 1)
            let futures = try (0..<3).map { _ in try pool.submit(SleepThenReportPID.self, 200) }
            let seconds = secondsTaken { pool.shutdown(wait: false) }
            #expect(seconds < 0.1)
            #expect(throws: ShutdownError.self) { try pool.submit(Square.self, 1) }
            for future in futures { _ = try future.result(timeout: .seconds(10)) }
            let pid = try futures[0].result()
            #expect(eventually { pool.workerProcessIDs.isEmpty && isCollected(pid) })
        }

        @Test func shutdownCancelFuturesCancelsWhatWasNotSent() throws {
            let pool = try makeTestPool(maxWorkers: 1)
            let futures = try (0..<8).map { _ in try pool.submit(SleepThenReportPID.self, 150) }
            #expect(eventually { futures[0].isRunning && futures[1].isRunning })
            pool.shutdown(wait: true, cancelFutures: true)
            // The two sent calls finish; the six still queued are cancelled.
            #expect(futures.prefix(2).allSatisfy { !$0.isCancelled && $0.isDone })
            #expect(futures.dropFirst(2).allSatisfy { $0.isCancelled })
            #expect(pool.statistics.cancelled == 6)
        }

        @Test func droppingMapResultsCancelsWhatWasNotSent() throws {
            let pool = try makeTestPool(maxWorkers: 1)
            defer { pool.shutdown() }
            var results: MapResults<Int32>? = try pool.map(SleepThenReportPID.self, Array(repeating: 50, count: 10))
            _ = try results?.next()
            results = nil
            pool.shutdown(wait: true)
            #expect(pool.statistics.cancelled >= 6)
            #expect(pool.statistics.completed + pool.statistics.cancelled == 10)
        }

        @Test func mapTimeoutCountsFromTheCall() throws {
            let pool = try makeTestPool(maxWorkers: 1)
            defer { pool.shutdown(wait: true, cancelFutures: true) }
            let results = try pool.map(SleepThenReportPID.self, [10, 1_500, 10], timeout: .milliseconds(700))
            _ = try results.next()
            #expect(throws: TimeoutError.self) { try results.next() }
        }

        @Test func aScopedPoolShutsDownWhenTheBodyThrows() throws {
            var seen: ProcessPoolExecutor?
            #expect(throws: TestTaskError.self) {
                try withProcessPool(tasks: processPoolTestTasks, executable: testWorker, workerOutput: .discard) { pool in
                    seen = pool
                    _ = try pool.submit(Square.self, 2).result()
                    throw TestTaskError(reason: "leaving the scope")
                }
            }
            #expect(seen?.workerProcessIDs.isEmpty == true)
            #expect(throws: ShutdownError.self) { try seen?.submit(Square.self, 1) }
        }

        // MARK: Observation

        @Test func theObserverNamesTheWorkerProcessOfEachCall() throws {
            let recorder = TaskEventRecorder()
            let pool = try makeTestPool(maxWorkers: 2, observer: recorder.record)
            let futures = try (0..<6).map { try pool.submit(SleepThenReportPID.self, 20, label: "call \($0)") }
            let pids = try futures.map { try $0.result() }
            let stats = pool.statistics
            pool.shutdown()

            for (index, pid) in pids.enumerated() {
                let kinds = recorder.events.filter { $0.label == "call \(index)" }.map(\.kind)
                #expect(kinds == [.submitted, .started(worker: "pid \(pid)"), .finished(.returned)])
            }
            #expect(stats.submitted == 6 && stats.completed == 6 && stats.running == 0)
            #expect(stats.liveWorkers == 2)
        }
    }
}
