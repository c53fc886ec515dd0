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
        let products = try #require(productsDirectory(containing: #dsohandle), "the folder the tests were built in")
        let binary = URL(fileURLWithPath: products + "/stress")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "the stress executable is built next to the tests")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--memory", "--quick"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("memory: flat — PASS") || text.contains("— SKIP"), "\(text)")
    }
}
