import ConcurrentFutures
import Foundation
import SystemPlatform
import ProcessPoolTestTasks
import Testing

extension ProcessPoolTests {
    @Suite("ProcessPoolExecutor: worker death, leaks")
    struct Failures {
        @Test func aWorkerKilledDuringAMapBreaksThePoolPromptly() throws {
            let descriptorsBefore = openDescriptorCount()
            let pool = try makeTestPool(maxWorkers: 2)
            let results = try pool.map(SleepThenReportPID.self, Array(repeating: 100, count: 30))
            let firstPID = try #require(try results.next())
            let workers = pool.workerProcessIDs
            #expect(workers.count == 2)

            let victim = workers.first { $0 != firstPID } ?? firstPID
            kill(victim, SIGKILL)
            var error: BrokenProcessPool?
            let seconds = secondsTaken {
                do {
                    while try results.next() != nil {}
                } catch let broken as BrokenProcessPool {
                    error = broken
                } catch {
                    Issue.record("unexpected error \(error)")
                }
            }
            let broken = try #require(error)
            #expect(seconds < 1.0, "the pending futures failed within a second")
            #expect(broken.workerPID == victim)
            #expect(broken.termination == .killed(signal: SIGKILL))
            #expect(broken.message.contains("pid \(victim)") && broken.message.contains("signal 9 (SIGKILL)"))
            #expect(throws: BrokenProcessPool.self) { try pool.submit(Square.self, 1) }

            pool.shutdown()
            for pid in workers {
                #expect(!isZombieChild(pid), "worker \(pid) left no zombie")
                #expect(isCollected(pid))
            }
            #expect(eventually { openDescriptorCount() <= descriptorsBefore }, "no descriptor leaked")
        }

        @Test func everyPendingAndRunningFutureFailsWhenAWorkerDies() throws {
            let pool = try makeTestPool(maxWorkers: 2)
            defer { pool.shutdown() }
            // Four calls sent (two per worker), two queued; all would take 5 s.
            let slow = try (0..<6).map { _ in try pool.submit(SleepThenReportPID.self, 5_000) }
            #expect(eventually { pool.workerProcessIDs.count == 2 && slow.filter { $0.isRunning }.count == 4 })
            let workers = pool.workerProcessIDs
            kill(workers[0], SIGKILL)
            // The calls of the other worker, still running, fail too: the pool is broken, and
            // its other worker is terminated.
            #expect(eventually(within: .seconds(1)) { slow.allSatisfy { $0.isDone } })
            for future in slow {
                let error = try #require(caught(BrokenProcessPool.self) { try future.result() })
                #expect(error.workerPID == workers[0])
            }
            pool.shutdown()
            #expect(workers.allSatisfy(isCollected))
        }

        @Test func writingToADeadWorkerDoesNotKillTheParent() throws {
            let signalHandlingBefore = sigpipeDisposition()
            let pool = try makeTestPool(maxWorkers: 1)
            defer { pool.shutdown() }
            // While the worker sleeps, its next call, megabytes long, fills the socket; then the
            // worker exits and the parent's next write fails with EPIPE. A SIGPIPE would end
            // this test runner.
            let text = String(repeating: "x", count: 8_000_000)
            let crash = try pool.submit(Crash.self, .exitAfterSleeping(milliseconds: 300, status: 3))
            let big = try pool.submit(EchoText.self, text)
            #expect(throws: BrokenProcessPool.self) { try crash.result(timeout: .seconds(10)) }
            #expect(throws: BrokenProcessPool.self) { try big.result(timeout: .seconds(10)) }
            #expect(sigpipeDisposition() == signalHandlingBefore, "the program's signal handling is unchanged")
        }

        @Test func exitInATaskIsReportedWithItsStatus() throws {
            let pool = try makeTestPool(maxWorkers: 1)
            defer { pool.shutdown() }
            let error = try #require(caught(BrokenProcessPool.self) {
                try pool.submit(Crash.self, .exit(3)).result(timeout: .seconds(10))
            })
            #expect(error.termination == .exited(status: 3))
            #expect(error.message.contains("exited with status 3"))
        }

        @Test func fatalErrorInATaskIsReportedWithItsMessage() throws {
            let pool = try makeTestPool(maxWorkers: 1)
            defer { pool.shutdown() }
            let error = try #require(caught(BrokenProcessPool.self) {
                try pool.submit(Crash.self, .fatalError("the answer is not 42")).result(timeout: .seconds(10))
            })
            // A Swift trap: SIGILL on x86_64, SIGTRAP on arm64.
            #expect(error.termination == .killed(signal: SIGILL) || error.termination == .killed(signal: SIGTRAP))
            #expect(error.standardErrorTail.contains("Fatal error: the answer is not 42"))
            #expect("\(error)".contains("the answer is not 42"))
        }

        @Test func anAbortIsReportedWithItsSignal() throws {
            // SIGABRT, as from a C library's failed assertion. (Not SIGSEGV: under
            // ThreadSanitizer the worker catches that one itself and exits with status 66.)
            let pool = try makeTestPool(maxWorkers: 1)
            defer { pool.shutdown() }
            let error = try #require(caught(BrokenProcessPool.self) {
                try pool.submit(Crash.self, .signal(SIGABRT)).result(timeout: .seconds(10))
            })
            #expect(error.termination == .killed(signal: SIGABRT))
            #expect(error.message.contains("signal 6 (SIGABRT)"))
        }

        @Test func aHundredPoolLifecyclesLeakNoDescriptorAndNoProcess() throws {
            let descriptorsBefore = openDescriptorCount()
            var pids = Set<Int32>()
            for _ in 0..<100 {
                let pool = try makeTestPool(maxWorkers: 2)
                let futures = try (0..<2).map { _ in try pool.submit(SleepThenReportPID.self, 5) }
                for future in futures { pids.insert(try future.result(timeout: .seconds(10))) }
                pool.shutdown()
            }
            #expect(pids.count >= 100)
            #expect(pids.allSatisfy(isCollected), "every worker was collected")
            #expect(eventually { openDescriptorCount() <= descriptorsBefore },
                    "descriptors before: \(descriptorsBefore), after: \(openDescriptorCount())")
        }

        @Test func aPoolDroppedWithoutShutdownStillCollectsItsWorkers() throws {
            let descriptorsBefore = openDescriptorCount()
            var pid: Int32 = 0
            do {
                let pool = try makeTestPool(maxWorkers: 1)
                pid = try pool.submit(SleepThenReportPID.self, 0).result(timeout: .seconds(10))
            }
            #expect(eventually { isCollected(pid) })
            #expect(eventually { openDescriptorCount() <= descriptorsBefore })
        }

        @Test func aWorkerKilledWhileIdleBreaksThePool() throws {
            let pool = try makeTestPool(maxWorkers: 1)
            defer { pool.shutdown() }
            let pid = try pool.submit(SleepThenReportPID.self, 0).result(timeout: .seconds(10))
            kill(pid, SIGKILL)
            // Until the pool notices, submits succeed; their futures then fail with the rest.
            var accepted: [Future<Int>] = []
            #expect(eventually {
                do {
                    accepted.append(try pool.submit(Square.self, 1))
                    return false
                } catch {
                    return error is BrokenProcessPool
                }
            })
            for future in accepted {
                #expect(throws: BrokenProcessPool.self) { try future.result(timeout: .seconds(10)) }
            }
        }
    }
}
