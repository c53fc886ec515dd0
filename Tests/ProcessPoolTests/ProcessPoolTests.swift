import ConcurrentFutures
import Foundation
import SystemPlatform
import ProcessPoolTestTasks
import Testing

/// The process pool, with real worker processes (the `ProcessPoolWorker` program).
///
/// Serialized: some tests count this process's open descriptors and child processes, which
/// other pools starting and stopping at the same time would disturb. The nested suites in the
/// other files inherit the trait.
@Suite("ProcessPoolExecutor", .serialized)
struct ProcessPoolTests {
    // MARK: Results

    @Test func submitRunsTheTaskInAWorkerProcess() throws {
        try withProcessPool(tasks: processPoolTestTasks, maxWorkers: 2, executable: testWorker) { pool in
            #expect(try pool.submit(Square.self, 7).result(timeout: .seconds(10)) == 49)
            let workerPID = try pool.submit(SleepThenReportPID.self, 0).result(timeout: .seconds(10))
            #expect(workerPID != getpid(), "the task ran in another process")
            #expect(pool.workerProcessIDs.contains(workerPID))
        }
    }

    @Test(arguments: [1, 3, 100, 1000])
    func mapReturnsResultsInInputOrder(chunkSize: Int) throws {
        let inputs = Array(0..<2_500)
        let squares = try withProcessPool(tasks: processPoolTestTasks, maxWorkers: 2, executable: testWorker) { pool in
            try Array(pool.map(Square.self, inputs, chunkSize: chunkSize))
        }
        #expect(squares == inputs.map { $0 * $0 })
    }

    @Test(arguments: [Int.max, 1 << 33])
    func aHugeChunkSizeCostsOnlyTheItemsThatExist(chunkSize: Int) throws {
        let squares = try withProcessPool(tasks: processPoolTestTasks, maxWorkers: 2, executable: testWorker) { pool in
            try Array(pool.map(Square.self, Array(0..<10), chunkSize: chunkSize))
        }
        #expect(squares == (0..<10).map { $0 * $0 })
    }

    @Test func mapWithABufferSubmitsAsResultsAreConsumed() throws {
        let pool = try makeTestPool()
        defer { pool.shutdown() }
        let results = try pool.map(Square.self, 0..<50, chunkSize: 4, bufferSize: 2)
        #expect(pool.statistics.submitted == 2, "only the first window is submitted")
        var squares: [Int] = []
        while let square = try results.next() { squares.append(square) }
        #expect(squares == (0..<50).map { $0 * $0 })
        #expect(pool.statistics.submitted == 13)  // 50 inputs in chunks of 4
    }

    @Test func emptyMapReturnsNothing() throws {
        let pool = try makeTestPool()
        defer { pool.shutdown() }
        #expect(try Array(pool.map(Square.self, [Int](), chunkSize: 10)).isEmpty)
        #expect(pool.workerProcessIDs.isEmpty, "no worker is started for no work")
    }

    @Test func largeInputsAndOutputsCrossIntact() throws {
        // Several megabytes each way: more than a socket buffer holds, so both sides must
        // cope with partial writes.
        let text = String((0..<3_000_000).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
        let pool = try makeTestPool()
        defer { pool.shutdown() }
        let futures = try (0..<3).map { _ in try pool.submit(EchoText.self, text) }
        for future in futures { #expect(try future.result(timeout: .seconds(30)) == text) }
    }

    @Test func strayPrintsInATaskDoNotCorruptTheProtocol() throws {
        let pool = try makeTestPool()
        defer { pool.shutdown() }
        let outputs = try Array(pool.map(PrintNoise.self, ["abc", "hello", "xyz"]))
        #expect(outputs == ["cba", "olleh", "zyx"])
        #expect(try pool.submit(Square.self, 9).result(timeout: .seconds(10)) == 81)
    }

    // MARK: Errors carried back

    @Test func aTaskErrorComesBackWithItsTypeNameAndMessage() throws {
        let pool = try makeTestPool()
        defer { pool.shutdown() }
        let future = try pool.submit(Fail.self, "no thanks")
        let error = try #require(caught(RemoteTaskError.self) { try future.result(timeout: .seconds(10)) })
        #expect(error.taskName == "Fail")
        #expect(error.typeName == "TestTaskError")
        #expect(error.message == "rejected: no thanks")
        #expect(error.workerPID != getpid())
        #expect("\(error)".contains("TestTaskError: rejected: no thanks"))
        // The pool is not broken by a task's error.
        #expect(try pool.submit(Square.self, 3).result(timeout: .seconds(10)) == 9)
    }

    @Test(arguments: [1, 5])
    func mapYieldsTheValuesBeforeAnErrorThenThrowsIt(chunkSize: Int) throws {
        let pool = try makeTestPool()
        defer { pool.shutdown() }
        let results = try pool.map(FailAt.self, 0..<30, chunkSize: chunkSize)
        var values: [Int] = []
        let error = try #require(caught(RemoteTaskError.self) {
            while let value = try results.next() { values.append(value) }
        })
        #expect(values == Array(0..<13))
        #expect(error.message == "rejected: 13 is unlucky")
        #expect(try results.next() == nil, "the iteration is over after the error")
    }

    @Test func anOutputThatCannotBeEncodedFailsThatCallOnly() throws {
        let pool = try makeTestPool()
        defer { pool.shutdown() }
        let error = try #require(caught(RemoteTaskError.self) {
            try pool.submit(ReturnNotEncodable.self, 1).result(timeout: .seconds(10))
        })
        #expect(error.typeName == "EncodingError")
        #expect(error.message.contains("this value cannot leave its process"))
        #expect(try pool.submit(Square.self, 4).result(timeout: .seconds(10)) == 16)
    }

    @Test func anInputThatCannotBeDecodedInTheWorkerFailsThatCallOnly() throws {
        let pool = try makeTestPool(maxWorkers: 1)
        defer { pool.shutdown() }
        let worker = try pool.submit(SleepThenReportPID.self, 0).result(timeout: .seconds(10))
        let error = try #require(caught(RemoteTaskError.self) {
            try pool.submit(TakeBoundValue.self, BoundToItsProcess()).result(timeout: .seconds(10))
        })
        #expect(error.typeName == "DecodingError")
        #expect(error.message.contains("can only be decoded there"), "\(error)")
        // In a map, that call fails, the others run.
        let results = try pool.map(TakeBoundValue.self, [BoundToItsProcess()], chunkSize: 2)
        #expect(throws: RemoteTaskError.self) { try results.next() }
        // The pool goes on, with the same worker (CPython breaks the pool).
        #expect(try pool.submit(Square.self, 3).result(timeout: .seconds(10)) == 9)
        #expect(try pool.submit(SleepThenReportPID.self, 0).result(timeout: .seconds(10)) == worker)
    }

    @Test func anOutputThatCannotBeDecodedInTheParentFailsThatCallOnly() throws {
        let pool = try makeTestPool(maxWorkers: 1)
        defer { pool.shutdown() }
        let worker = try pool.submit(SleepThenReportPID.self, 0).result(timeout: .seconds(10))
        let error = try #require(caught(ProcessPoolError.self) {
            try pool.submit(MakeBoundValue.self, 0).result(timeout: .seconds(10))
        })
        guard case .outputNotDecodable(let task, let detail) = error.reason else {
            Issue.record("unexpected reason \(error.reason)")
            return
        }
        #expect(task == "MakeBoundValue")
        #expect(detail.contains("can only be decoded there"), "\(error)")
        #expect(try pool.submit(Square.self, 3).result(timeout: .seconds(10)) == 9)
        #expect(try pool.submit(SleepThenReportPID.self, 0).result(timeout: .seconds(10)) == worker)
        #expect(pool.statistics.failed == 1)
    }

    @Test func specialFloatingPointValuesCrossIntact() throws {
        let pool = try makeTestPool()
        defer { pool.shutdown() }
        let outputs = try Array(pool.map(EchoDouble.self, [.nan, .infinity, -.infinity, -0.0, .ulpOfOne, 1e308]))
        #expect(outputs[0].isNaN)
        #expect(Array(outputs.dropFirst()) == [.infinity, -.infinity, -0.0, .ulpOfOne, 1e308])
        #expect(outputs[3].sign == .minus)
    }

    // MARK: Bad input: a clear error at the call, nothing sent

    @Test func maxWorkersBelowOneIsRejected() {
        #expect(throws: InvalidArgumentError.self) { try makeTestPool(maxWorkers: 0) }
        #expect(throws: InvalidArgumentError.self) { try makeTestPool(maxWorkers: -3) }
    }

    @Test func maxTasksPerChildBelowOneIsRejected() {
        #expect(throws: InvalidArgumentError.self) { try makeTestPool(maxTasksPerChild: 0) }
    }

    @Test func chunkSizeBelowOneIsRejected() throws {
        let pool = try makeTestPool()
        defer { pool.shutdown() }
        let error = try #require(caught(InvalidArgumentError.self) {
            try pool.map(Square.self, [1, 2, 3], chunkSize: 0)
        })
        #expect(error.message.contains("chunkSize"))
        #expect(pool.statistics.submitted == 0)
    }

    @Test func anUnregisteredTaskIsRejectedAtTheCall() throws {
        let pool = try makeTestPool()
        defer { pool.shutdown() }
        #expect(throws: ProcessPoolError(.unregisteredTask("NotRegistered"))) {
            try pool.submit(NotRegistered.self, 1)
        }
        #expect(throws: ProcessPoolError(.unregisteredTask("NotRegistered"))) {
            try pool.map(NotRegistered.self, [1, 2])
        }
        #expect(pool.statistics.submitted == 0)
        #expect(pool.workerProcessIDs.isEmpty, "nothing was sent, no worker started")
    }

    @Test func anInputThatCannotBeEncodedIsRejectedAtTheCall() throws {
        let pool = try makeTestPool()
        defer { pool.shutdown() }
        let error = try #require(caught(ProcessPoolError.self) {
            try pool.submit(TakeMaybeEncodable.self, MaybeEncodable(refuses: true))
        })
        guard case .inputNotEncodable(let task, let detail) = error.reason else {
            Issue.record("unexpected reason \(error.reason)")
            return
        }
        #expect(task == "TakeMaybeEncodable")
        #expect(detail.contains("this value cannot leave its process"))
        // In a map, one bad input fails the whole call before anything is sent.
        let inputs = [false, false, false, true, false].map { MaybeEncodable(refuses: $0) }
        for chunkSize in [1, 2] {
            #expect(throws: ProcessPoolError.self) { try pool.map(TakeMaybeEncodable.self, inputs, chunkSize: chunkSize) }
        }
        #expect(pool.statistics.submitted == 0)
    }

    @Test func aClosureIsRejectedBecauseItCannotCrossAProcessBoundary() throws {
        let pool = try makeTestPool()
        defer { pool.shutdown() }
        let error = try #require(caught(ProcessPoolError.self) { try pool.submit { 6 * 7 } })
        #expect(error.reason == .closureSubmitted)
        #expect(error.message.contains("closures cannot cross a process boundary"))
        // The Executor protocol's closure-taking map fails the same way.
        #expect(throws: ProcessPoolError(.closureSubmitted)) { try pool.map([1, 2, 3]) { $0 * 2 } }
        #expect(pool.statistics.submitted == 0)
    }

    @Test func aTaskNameRegisteredTwiceIsRejected() {
        #expect(throws: ProcessPoolError(.duplicateTaskName("Square"))) {
            try ProcessPoolExecutor(tasks: [Square.self, Renamed.self], executable: testWorker)
        }
    }

    @Test func anExecutableThatDoesNotExistIsRejected() {
        #expect(throws: InvalidArgumentError.self) {
            try ProcessPoolExecutor(tasks: processPoolTestTasks, executable: .path("/nonexistent/worker"))
        }
    }

    @Test func aDirectoryOrAFileThatIsNotExecutableIsRejectedAsTheExecutable() throws {
        let directory = caught(InvalidArgumentError.self) {
            try ProcessPoolExecutor(tasks: processPoolTestTasks, executable: .path("/"))
        }
        #expect(directory?.message == "executable / is a directory, not a program", "\(String(describing: directory))")

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-program-\(getpid())").path
        try #require(FileManager.default.createFile(atPath: file, contents: Data("text".utf8), attributes: [.posixPermissions: 0o644]))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let notExecutable = caught(InvalidArgumentError.self) {
            try ProcessPoolExecutor(tasks: processPoolTestTasks, executable: .path(file))
        }
        #expect(notExecutable?.message.contains("executable \(file) cannot be run") == true, "\(String(describing: notExecutable))")
    }

    @Test func aPoolIsRefusedInAProcessStartedAsAWorkerWithoutTheHook() throws {
        // The worker program, started the way a pool starts a worker, but told to skip the hook
        // and create a pool: it must be refused, or every worker would start workers of its own.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try testWorkerPath())
        process.arguments = ["create-a-pool-without-the-hook"]
        process.environment = ProcessInfo.processInfo.environment.merging(["CONCURRENT_FUTURES_WORKER": "1"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(printed.contains("\(ProcessPoolError(.startedAsWorker))"), "it printed: \(printed)")
    }

    @Test func aProgramThatIsNotAWorkerBreaksThePoolWithAHint() throws {
        // /usr/bin/true never calls the worker hook: it exits before saying "ready".
        let pool = try ProcessPoolExecutor(tasks: processPoolTestTasks, maxWorkers: 1, executable: .path("/usr/bin/true"))
        defer { pool.shutdown() }
        let error = try #require(caught(BrokenProcessPool.self) {
            try pool.submit(Square.self, 2).result(timeout: .seconds(10))
        })
        #expect(error.termination == .exited(status: 0))
        #expect(error.message.contains("runWorkerIfRequested"))
    }
}

/// Shares `Square`'s name, to test duplicate detection.
enum Renamed: ProcessTask {
    static var name: String { "Square" }
    static func run(_ x: Int) -> Int { x }
}
