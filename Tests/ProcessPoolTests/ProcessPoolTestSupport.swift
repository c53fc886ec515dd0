import ConcurrentFutures
import Foundation
import Glibc
import ProcessPoolTestTasks

/// The worker program: under `swift test` the running program is the test runner, and the
/// `ProcessPoolWorker` executable target is built in the same directory.
let testWorker = WorkerExecutable.sibling(named: "ProcessPoolWorker")

/// The worker program's absolute path.
func testWorkerPath() throws -> String {
    let runner = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    return URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("ProcessPoolWorker").path
}

/// A pool of test workers. Their output is discarded unless a test asks for it: the crash
/// tests would otherwise fill the test log with expected "Fatal error" lines.
func makeTestPool(
    maxWorkers: Int? = 2,
    initializer: ProcessInitializer? = nil,
    maxTasksPerChild: Int? = nil,
    workerOutput: WorkerOutput = .discard,
    observer: (@Sendable (TaskEvent) -> Void)? = nil
) throws -> ProcessPoolExecutor {
    try ProcessPoolExecutor(
        tasks: processPoolTestTasks, maxWorkers: maxWorkers, initializer: initializer,
        maxTasksPerChild: maxTasksPerChild, executable: testWorker, workerOutput: workerOutput,
        observer: observer)
}

/// The number of descriptors this process has open.
func openDescriptorCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
}

/// `true` if `pid` is a zombie child of this process: it has ended and nobody collected it.
/// (A collected process has no `/proc/<pid>` any more.)
func isZombieChild(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let afterName = stat.lastIndex(of: ")")
    else { return false }
    // "<pid> (<name>) <state> <ppid> ...": the name may contain spaces, so split after ")".
    let fields = stat[stat.index(after: afterName)...].split(separator: " ")
    return fields.count > 1 && fields[0] == "Z" && Int32(fields[1]) == getpid()
}

/// `true` if the process `pid` is gone (collected), or exists but is not our child.
func isCollected(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let afterName = stat.lastIndex(of: ")")
    else { return true }
    let fields = stat[stat.index(after: afterName)...].split(separator: " ")
    return fields.count > 1 && Int32(fields[1]) != getpid()
}

/// What this process does on SIGPIPE (the handler's address: 0 is the default, 1 is "ignore").
func sigpipeDisposition() -> Int {
    var action = sigaction()
    sigaction(SIGPIPE, nil, &action)
    return unsafeBitCast(action.__sigaction_handler, to: Int.self)
}

/// Polls `condition` every millisecond until it holds or `timeout` passes.
func eventually(within timeout: Duration = .seconds(5), _ condition: () -> Bool) -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while !condition() {
        if clock.now > deadline { return false }
        usleep(1000)
    }
    return true
}

/// Seconds taken by `body`.
func secondsTaken(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try body()
    let (seconds, attoseconds) = (clock.now - start).components
    return Double(seconds) + Double(attoseconds) / 1e18
}
