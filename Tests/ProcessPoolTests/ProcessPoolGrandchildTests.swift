import ConcurrentFutures
import Foundation
import SystemPlatform
import ProcessPoolTestTasks
import Testing

extension ProcessPoolTests {
    /// Programs that a task starts (grandchildren of this process) and that outlive their
    /// worker. The pool hears of a worker's death through the end of its socket; a grandchild
    /// holding a copy of that socket would keep the end from coming. So the worker's socket is
    /// close-on-exec, and a death is also seen through the worker's exit.
    @Suite("ProcessPoolExecutor: programs started by tasks")
    struct Grandchildren {
        /// How long the grandchildren live: far longer than the pool may take to notice.
        static let grandchildSeconds = 10

        @Test func theWorkersSocketIsCloseOnExec() throws {
            let pool = try makeTestPool(maxWorkers: 1)
            defer { pool.shutdown() }
            #expect(try pool.submit(WorkerSocketIsCloseOnExec.self, 0).result(timeout: .seconds(10)))
        }

        @Test(arguments: [false, true])
        func aWorkerKilledWhileAProgramItStartedRunsBreaksThePoolAtOnce(handsOverTheSocket: Bool) throws {
            let pool = try makeTestPool(maxWorkers: 1)
            let start = ProgramStart(seconds: Self.grandchildSeconds, handsOverTheSocket: handsOverTheSocket)
            let grandchild = try pool.submit(StartProgram.self, start).result(timeout: .seconds(10))
            defer { kill(grandchild, SIGKILL) }
            let worker = try #require(pool.workerProcessIDs.first)
            let pending = try pool.submit(SleepThenReportPID.self, 60_000)
            #expect(eventually { pending.isRunning })

            kill(worker, SIGKILL)
            var error: BrokenProcessPool?
            let secondsToBreak = secondsTaken { error = caught(BrokenProcessPool.self) { try pending.result(timeout: .seconds(30)) } }
            let secondsToShutDown = secondsTaken { pool.shutdown(wait: true) }
            print("SIGKILL with a grandchild (socket handed over: \(handsOverTheSocket)): BrokenProcessPool after "
                + String(format: "%.1f ms, shutdown(wait: true) %.1f ms", secondsToBreak * 1000, secondsToShutDown * 1000))

            let broken = try #require(error)
            #expect(broken.workerPID == worker)
            #expect(broken.termination == .killed(signal: SIGKILL))
            #expect(secondsToBreak < 1, "the death was noticed in \(secondsToBreak) s, not when the grandchild ended")
            #expect(secondsToShutDown < 1, "shutdown took \(secondsToShutDown) s: it waited for the grandchild")
            #expect(isCollected(worker))
        }

        @Test func shutdownDoesNotWaitForAProgramThatHoldsAWorkersSocket() throws {
            let descriptorsBefore = openDescriptorCount()
            let pool = try makeTestPool(maxWorkers: 1)
            let start = ProgramStart(seconds: Self.grandchildSeconds, handsOverTheSocket: true)
            let grandchild = try pool.submit(StartProgram.self, start).result(timeout: .seconds(10))
            defer { kill(grandchild, SIGKILL) }
            let worker = try #require(pool.workerProcessIDs.first)
            // The worker reads the end of its stream and exits; the end of the parent's side
            // never comes while the grandchild holds the worker's side.
            let seconds = secondsTaken { pool.shutdown(wait: true) }
            #expect(seconds < 1, "shutdown took \(seconds) s: it waited for the grandchild")
            #expect(isCollected(worker))
            #expect(eventually { openDescriptorCount() <= descriptorsBefore }, "no descriptor leaked")
        }
    }
}
