import Foundation
import SystemPlatform
import Testing
import Reliability

/// The reliability suite at a reduced size (the full size: `swift run -c release stress`).
@Suite("Reliability")
struct StressTests {
    static let tasksPerSubmitter = ProcessInfo.processInfo.environment["CF_STRESS_TASKS"].flatMap(Int.init) ?? 5_000

    @Test func stressRunKeepsEveryProperty() {
        let report = runStress(StressConfiguration(submitters: 8, tasksPerSubmitter: Self.tasksPerSubmitter))
        #expect(report.passed, "\(report)")
        #expect(report.cancelled > 0 && report.threw > 0 && report.returned > 0 && report.refusedAfterShutdown > 0)
    }

    @Test func stressRunWithoutShutdownAcceptsEverything() {
        let report = runStress(StressConfiguration(submitters: 4, tasksPerSubmitter: 2_000, shutdownAfter: 2))
        #expect(report.passed, "\(report)")
        #expect(report.accepted == 8_000 && report.refusedAfterShutdown == 0)
    }
}

@Suite("Memory")
struct MemoryTests {
    /// Resident memory is a property of a whole process, and other tests allocate in this one
    /// at the same time, so the check runs in a process of its own: `stress --memory --quick`.
    @Test func residentMemoryStaysFlat() throws {
        let (status, text) = try runStress(["--memory", "--quick"])
        #expect(status == 0, "\(text)")
        #expect(text.contains("memory: flat") && text.contains("— PASS") || text.contains("— SKIP"), "\(text)")
    }

    /// What the allocator does on many cores: a step of 12 MiB half-way, then flat.
    @Test func aOneOffStepIsNotALeak() throws {
        let (status, text) = try runStress(["--memory", "--quick", "--one-off-step-mib", "12"])
        #expect(status == 0, "\(text)")
        guard !text.contains("— SKIP") else { return }
        #expect(text.contains("memory: flat"), "\(text)")
        // The step is seen whole (other tests allocate in their own process meanwhile, so it
        // can read a little more or less than the 12 MiB made).
        let step = text.components(separatedBy: "largest step ").dropFirst().first
            .flatMap { Double($0.prefix { $0.isNumber || $0 == "." }) }
        #expect(step.map { (11.5...13.0).contains($0) } == true, "\(text)")
    }

    /// One small block leaked per task (8 bytes asked for, 16 to 32 held) is caught.
    @Test func aLeakOfOneSmallBlockPerTaskIsCaught() throws {
        let (status, text) = try runStress(["--memory", "--quick", "--leak-bytes-per-task", "8"])
        guard !text.contains("— SKIP") else { return }
        #expect(status == 1, "\(text)")
        #expect(text.contains("memory: grows") && text.contains("— FAIL"), "\(text)")
    }

    // The verdict on series of readings like those seen (MiB after each batch of 10,000 tasks).

    private func growth(mebibytes: [Double], tasksPerBatch: Int = 10_000) -> MemoryGrowth {
        MemoryGrowth(residentAfterBatch: mebibytes.map { Int($0 * 1_048_576) }, tasksPerBatch: tasksPerBatch)
    }

    @Test func theVerdictIsFlatForFlatMemory() {
        #expect(growth(mebibytes: Array(repeating: 20.5, count: 16)).isFlat)
    }

    @Test func theVerdictIsFlatForAOneOffStep() {
        // 16 cores: a 12 MiB step after warm-up, then flat.
        let readings = [30.2, 31.0, 31.4, 31.4, 31.4, 31.5, 31.5, 43.5, 43.5, 43.6, 43.5, 43.5, 43.5, 43.5, 43.5, 43.5]
        let verdict = growth(mebibytes: readings, tasksPerBatch: 100_000)
        #expect(verdict.isFlat, "\(verdict.figures)")
        #expect(verdict.largestStep >= 12 * 1_048_576)
        // What the old verdict judged by: the last batch over the highest of the first three.
        #expect(Int(readings.last! * 1_048_576) - Int(readings.prefix(3).max()! * 1_048_576) > 4 * 1_048_576)
    }

    @Test func theVerdictIsFlatForMemoryThatSwingsUpAndDown() {
        // Seen on 2 cores: the allocator gives memory back and takes it again.
        let readings = [19.0, 19.4, 19.4, 19.4, 19.4, 20.2, 20.5, 19.7, 20.5, 20.5, 19.7, 20.5, 19.7, 19.9, 20.5, 20.5]
        let verdict = growth(mebibytes: readings)
        #expect(verdict.isFlat, "\(verdict.figures)")
    }

    @Test func theVerdictCatchesALeak() {
        // 32 bytes a task: 312.5 KiB a batch, a step and swings on top.
        let leak = 10_000.0 * 32 / 1_048_576
        let steady = (0..<16).map { 20 + Double($0) * leak }
        #expect(!growth(mebibytes: steady).isFlat)
        #expect(abs(growth(mebibytes: steady).bytesPerTask - 32) < 0.5)
        let withStep = steady.enumerated().map { $0.offset >= 8 ? $0.element + 12 : $0.element }
        #expect(!growth(mebibytes: withStep).isFlat)
        let swinging = steady.enumerated().map { $0.offset % 2 == 0 ? $0.element : $0.element + 0.2 }
        #expect(!growth(mebibytes: swinging).isFlat, "\(growth(mebibytes: swinging).figures)")
    }
}

/// Runs the `stress` program built next to the tests; its exit status and what it printed.
private func runStress(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let products = try #require(productsDirectory(containing: #dsohandle), "the folder the tests were built in")
    let binary = URL(fileURLWithPath: products + "/stress")
    try #require(FileManager.default.isExecutableFile(atPath: binary.path), "the stress executable is built next to the tests")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
}
