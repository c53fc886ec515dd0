import ConcurrentFutures
import Foundation
import SystemPlatform
import ProcessPoolTestTasks
import Testing

extension ProcessPoolTests {
    /// The reliability suite's process faults: 100 `map` calls, each on a fresh pool, each
    /// with a random worker killed with SIGKILL at a random moment. Every call must either
    /// complete or fail with `BrokenProcessPool`, within its time bound; afterwards no worker
    /// may be left as a zombie and the descriptor count must be back where it started.
    @Suite("ProcessPoolExecutor: random SIGKILL during map, 100 times")
    struct FaultLoop {
        static let rounds = ProcessInfo.processInfo.environment["CF_FAULT_ROUNDS"].flatMap(Int.init) ?? 100

        @Test func everyMapCompletesOrBreaksAndNothingLeaks() throws {
            let descriptorsBefore = openDescriptorCount()
            var random = SystemRandomNumberGenerator()
            var completed = 0, broken = 0
            var workersSeen: Set<Int32> = []
            for round in 0..<Self.rounds {
                let pool = try makeTestPool(maxWorkers: 2)
                // 20 calls of 2 ms each, in chunks of 1 to 4: a few tens of milliseconds of work.
                let results = try pool.map(
                    SleepThenReportPID.self, Array(repeating: 2, count: 20),
                    timeout: .seconds(10), chunkSize: Int.random(in: 1...4, using: &random))
                // Let the map run for a random moment, then kill one of the workers there are.
                usleep(UInt32.random(in: 0...15_000, using: &random))
                let workers = pool.workerProcessIDs
                workersSeen.formUnion(workers)
                if let victim = workers.randomElement(using: &random) { kill(victim, SIGKILL) }

                var values = 0
                do {
                    while try results.next() != nil { values += 1 }
                    #expect(values == 20, "round \(round): a completed map has every result")
                    completed += 1
                } catch is BrokenProcessPool {
                    broken += 1
                } catch {
                    Issue.record("round \(round): \(error) (neither completed nor BrokenProcessPool)")
                }
                pool.shutdown()
                workersSeen.formUnion(pool.workerProcessIDs)
            }
            #expect(completed + broken == Self.rounds)
            #expect(broken > 0, "the kills did break pools (\(completed) completed, \(broken) broken)")
            for pid in workersSeen {
                #expect(!isZombieChild(pid), "worker \(pid) left no zombie")
            }
            #expect(eventually { openDescriptorCount() <= descriptorsBefore },
                    "descriptors back to \(descriptorsBefore), now \(openDescriptorCount())")
            print("fault loop: \(Self.rounds) maps, \(completed) completed, \(broken) broke with BrokenProcessPool, \(workersSeen.count) workers, no zombie")
        }
    }
}
