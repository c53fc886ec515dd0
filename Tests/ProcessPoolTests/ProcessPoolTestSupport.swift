import ConcurrentFutures
import Foundation
import SystemPlatform
import ProcessPoolTestTasks

/// The worker program: under `swift test` the running program is the test runner, and the
/// `ProcessPoolWorker` executable target is built in the same directory.
let testWorker = WorkerExecutable.sibling(named: "ProcessPoolWorker")

/// The worker program's absolute path.
func testWorkerPath() throws -> String {
    guard let products = productsDirectory(containing: #dsohandle) else {
        throw InvalidArgumentError("cannot find the folder the tests were built in")
    }
    return products + "/ProcessPoolWorker"
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

/// `true` if `pid` is a zombie child of this process: it has ended and nobody collected it.
func isZombieChild(_ pid: Int32) -> Bool {
    childProcessState(pid) == .zombie
}

/// `true` if the process `pid` is gone (collected), or exists but is not our child.
func isCollected(_ pid: Int32) -> Bool {
    childProcessState(pid) == .collected
}

/// What this process does on SIGPIPE (the handler's address: 0 is the default, 1 is "ignore").
func sigpipeDisposition() -> Int {
    signalHandlerAddress(SIGPIPE)
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

/// The error that `body` throws, if it is an `E`; `nil` if it throws nothing or something else.
/// (`#expect(throws:)` hands back the error only from Swift 6.1 on; the package supports 6.0.)
func caught<E: Error, R>(_ type: E.Type, _ body: () throws -> R) -> E? {
    do { _ = try body(); return nil } catch { return error as? E }
}
