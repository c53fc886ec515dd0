@testable import ConcurrentFutures
import Dispatch
import Foundation
import SystemPlatform
import ProcessPoolTestTasks
import Testing

extension ProcessPoolTests {
    /// What the workers print is copied to the program's standard error. Nobody may be reading
    /// it (a pipe whose reader is busy, or stuck): the pool must go on all the same.
    @Suite("ProcessPoolExecutor: worker output")
    struct WorkerOutputForwarding {
        @Test func aWorkerFloodingStandardErrorNeverStallsThePool() throws {
            // A pipe that stands for this program's standard error, and nobody reads it yet.
            var ends: [Int32] = [-1, -1]
            try #require(makePipe(&ends) == 0)
            let (reader, writer) = (ends[0], ends[1])
            let pool = try ProcessPoolExecutor(
                tasks: processPoolTestTasks, maxWorkers: 2, initializer: nil, maxTasksPerChild: nil,
                executable: testWorker, workerOutput: .forwardToStandardError, crashBacktraces: false, observer: nil,
                tuning: ProcessPoolTuning(standardError: writer))

            let floodBytes = 3_000_000
            let flood = try pool.submit(FloodStandardError.self, floodBytes)
            let calls = try (0..<20).map { try pool.submit(Square.self, $0) }
            // At most 10 s for all of them (a stalled pool would never answer).
            let deadline = ContinuousClock.now + .seconds(10)
            func remaining() -> Duration { max(.zero, deadline - ContinuousClock.now) }
            let flooded = try? flood.result(timeout: remaining())
            let answered = calls.enumerated().filter { index, call in (try? call.result(timeout: remaining())) == index * index }
            #expect(flooded == floodBytes, "the flooding task finished")
            #expect(answered.count == 20, "every call after the flood was answered")

            // Now read the pipe to its end, while the pool shuts down.
            let output = PipeDrain(reader)
            pool.shutdown()
            close(writer)
            let text = output.waitForEnd(within: .seconds(10))
            #expect(text != nil, "the pipe reached its end: the forwarding finished")
            // (Closed only once nothing writes to it: a write to a pipe without a reader
            // raises SIGPIPE, which would end the test run.)
            if text != nil { close(reader) }
            let forwarded = text ?? ""
            #expect(forwarded.utf8.count < floodBytes, "what did not fit was dropped")
            #expect(forwarded.contains("bytes of worker output were dropped"), "and that was said: \(forwarded.suffix(300))")
        }

        @Test func whatWorkersPrintIsAllOutWhenShutdownReturns() throws {
            let descriptorsBefore = openDescriptorCount()
            var ends: [Int32] = [-1, -1]
            try #require(makePipe(&ends) == 0)
            let (reader, writer) = (ends[0], ends[1])
            let output = PipeDrain(reader)
            let pool = try ProcessPoolExecutor(
                tasks: processPoolTestTasks, maxWorkers: 2, initializer: nil, maxTasksPerChild: nil,
                executable: testWorker, workerOutput: .forwardToStandardError, crashBacktraces: false, observer: nil,
                tuning: ProcessPoolTuning(standardError: writer))
            let floods = try (0..<4).map { _ in try pool.submit(FloodStandardError.self, 200_000) }
            for flood in floods { #expect(try flood.result(timeout: .seconds(10)) == 200_000) }
            pool.shutdown()
            close(writer)
            // The pool's copy of the descriptor is closed too: the pipe ends.
            let text = try #require(output.waitForEnd(within: .seconds(10)))
            #expect(text.utf8.count == 800_000, "every byte arrived, nothing was dropped")
            #expect(!text.contains("dropped"))
            close(reader)
            #expect(eventually { openDescriptorCount() <= descriptorsBefore }, "no descriptor leaked")
        }
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeDrain: @unchecked Sendable {
    private let descriptor: Int32
    private var bytes: [UInt8] = []
    private let done = DispatchSemaphore(value: 0)

    init(_ descriptor: Int32) {
        self.descriptor = descriptor
        DispatchQueue.global().async { self.readToEnd() }
    }

    private func readToEnd() {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { bytes += chunk[..<count] } else if count < 0 && errno == EINTR { continue } else { break }
        }
        done.signal()
    }

    /// The text read, once the pipe has ended; `nil` if it has not ended within `timeout`.
    func waitForEnd(within timeout: Duration) -> String? {
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        guard done.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
