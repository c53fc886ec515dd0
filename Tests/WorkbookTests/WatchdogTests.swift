import ConcurrentFutures
import ExerciseKit
import Foundation
import Testing
import WorkbookChecks
import WorkbookCourse

// The watchdog: a scenario that never ends is stopped within its time limit, and the report
// says what the pool was doing: which tasks ran on which worker, which were queued.

@Suite("Workbook: the watchdog")
struct WatchdogTests {
    @Test("A stuck scenario is stopped in seconds and explained")
    func stuckScenarioIsExplained() async throws {
        let never = DispatchSemaphore(value: 0)
        let check = PreparedCheck(exerciseID: "00x", scenarios: [
            Scenario("waits forever", timeLimit: 0.5) { ctx in
                let pool = try ctx.pool(maxWorkers: 1)
                let stuck = try pool.submit(label: "waiting for a signal nobody sends") { never.wait() }
                try pool.submit(label: "behind it") {}
                _ = try ctx.step("waiting for the stuck task") { try stuck.result() }
            },
            Scenario("never runs: the run stops after a time-out") { _ in },
        ], module: "Nothing")
        let results = await CheckHarness.run(check, sourceText: nil, timeScale: 1)
        never.signal()  // let the stuck worker go
        let result = try #require(results.first)
        // Measured by the harness itself: the await above may resume late when other tests
        // keep Swift's few task threads busy.
        #expect((result.seconds ?? 99) < 2, "the watchdog took \(result.seconds ?? -1) s")
        #expect(results.count == 1)
        #expect(result.status == ScenarioStatus.timedOut && result.property == CheckProperty.timeLimit)
        let explanation = try #require(result.explanation)
        #expect(explanation.contains("while waiting for the stuck task"))
        #expect(explanation.contains("running: \"waiting for a signal nobody sends\" on c00x-"))
        #expect(explanation.contains("queued: \"behind it\""))
        #expect(explanation.contains("sleeping on a lock or a condition"))
        #expect(explanation.contains("The thread that called your code"))
    }

    @Test("A busy loop is told apart from a wait")
    func busyLoop() async throws {
        let stop = LockedValue(false)
        let check = PreparedCheck(exerciseID: "00y", scenarios: [
            Scenario("spins", timeLimit: 0.5) { _ in
                while !stop.withLock({ $0 }) {}
            },
        ], module: "Nothing")
        let results = await CheckHarness.run(check, sourceText: nil, timeScale: 1)
        stop.withLock { $0 = true }
        let explanation = try #require(results.first?.explanation)
        #expect(explanation.contains("running, using a CPU"))
        #expect(explanation.contains("a loop whose exit condition never becomes true"))
    }

    @Test("A todo marker is reported as unfinished, even when the code swallows its error")
    func unfinished() async throws {
        let check = PreparedCheck(exerciseID: "99z", scenarios: [
            Scenario("calls a stub that hides the marker's error") { _ in
                _ = try? todo("do it", fileID: "Exercise99z/Stub.swift", line: 7)
            },
        ], module: "Exercise99z")
        let results = await CheckHarness.run(check, sourceText: nil, timeScale: 1)
        #expect(results.first?.status == .unfinished)
        #expect(results.first?.message == "Exercise99z/Stub.swift:7 still says: todo(\"do it\")")
    }
}
