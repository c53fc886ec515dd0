@testable import ConcurrentFutures
import Foundation
import SystemPlatform
import ProcessPoolTestTasks
import Testing

extension ProcessPoolTests {
    /// Limits a call can run into: the size of one message. The real limit is 1 GiB; these
    /// tests lower it (`ProcessPoolTuning`) so as not to allocate gigabytes.
    @Suite("ProcessPoolExecutor: message limit")
    struct Limits {
        static let messageLimit = 64 * 1024

        private func makeLimitedPool() throws -> ProcessPoolExecutor {
            try ProcessPoolExecutor(
                tasks: processPoolTestTasks, maxWorkers: 1, initializer: nil, maxTasksPerChild: nil,
                executable: testWorker, workerOutput: .discard, crashBacktraces: false, observer: nil,
                tuning: ProcessPoolTuning(messageLimit: Self.messageLimit))
        }

        @Test func aPayloadOverTheMessageLimitFailsItsCallAndThePoolGoesOn() throws {
            let pool = try makeLimitedPool()
            defer { pool.shutdown() }
            let worker = try pool.submit(SleepThenReportPID.self, 0).result(timeout: .seconds(10))
            let limit = "\(Self.messageLimit)"

            // An input over the limit: refused in the parent, nothing sent.
            let text = String(repeating: "x", count: 100_000)
            let inputSize = try BinaryEncoder().encode(text).count
            let inputError = caught(ProcessPoolError.self) { try pool.submit(EchoText.self, text).result(timeout: .seconds(10)) }
            #expect(inputError?.message.contains("EchoText") == true && inputError?.message.contains("\(inputSize) bytes") == true
                && inputError?.message.contains(limit) == true, "\(String(describing: inputError))")
            // A map whose chunk is over the limit, though each input is small.
            let pieces = Array(repeating: String(repeating: "y", count: 10_000), count: 10)
            #expect(throws: ProcessPoolError.self) { try pool.map(EchoText.self, pieces, chunkSize: 10) }
            #expect(pool.statistics.submitted == 1, "nothing was submitted")

            // An output over the limit: that call fails in the worker, which goes on.
            let outputSize = try BinaryEncoder().encode(String(repeating: "z", count: 100_000)).count
            let outputError = caught(RemoteTaskError.self) {
                try pool.submit(MakeText.self, 100_000).result(timeout: .seconds(10))
            }
            #expect(outputError?.message.contains("MakeText") == true && outputError?.message.contains("\(outputSize) bytes") == true
                && outputError?.message.contains(limit) == true, "\(String(describing: outputError))")
            // A chunk of outputs over the limit fails that chunk's calls only.
            let chunked = try pool.map(MakeText.self, [30_000, 30_000, 30_000, 1], chunkSize: 3)
            #expect(throws: RemoteTaskError.self) { try chunked.next() }
            #expect(try pool.map(MakeText.self, [1, 2], chunkSize: 2).next() == "z")

            // The pool is healthy, and it is the same worker.
            #expect(try pool.submit(Square.self, 4).result(timeout: .seconds(10)) == 16)
            #expect(try pool.submit(SleepThenReportPID.self, 0).result(timeout: .seconds(10)) == worker)
            #expect(try pool.submit(EchoText.self, String(repeating: "w", count: 60_000)).result(timeout: .seconds(10)).count == 60_000,
                    "a payload under the limit still crosses")
        }

        @Test func theSizeChecksCountEveryByteOfTheMessage() {
            // The limit is checked before a message is built, from its computed length: that
            // length must be the length `write(to:)` produces.
            func bodyLength(_ write: (inout [UInt8]) -> Void) -> Int {
                var frame: [UInt8] = []
                write(&frame)
                return frame.count - 4
            }
            let input: [UInt8] = Array(repeating: 7, count: 1000)
            #expect(ParentMessage.runBodyLength(task: "Tâsk", inputCount: 1000)
                == bodyLength { ParentMessage.run(callID: 9, task: "Tâsk", shape: .chunk, input: input).write(to: &$0) })
            #expect(ParentMessage.initializeBodyLength(task: "Tâsk", inputCount: 1000)
                == bodyLength { ParentMessage.initialize(task: "Tâsk", input: input).write(to: &$0) })
            let failure = RemoteFailure(typeName: "Érror", message: "went wrong")
            let messages: [WorkerMessage] = [
                .ready, .initializerFailed(failure),
                .finished(callID: 1, startedAt: 2, reply: .returned(input)),
                .finished(callID: 1, startedAt: 2, reply: .threw(failure)),
                .finished(callID: 1, startedAt: 2, reply: .stoppedEarly(outputs: input, failure: failure)),
            ]
            for message in messages {
                #expect(message.bodyLength == bodyLength { message.write(to: &$0) }, "\(message)")
            }
        }

        @Test func anInitializerInputOverTheMessageLimitIsRefusedAtInit() {
            let error = caught(ProcessPoolError.self) {
                try ProcessPoolExecutor(
                    tasks: processPoolTestTasks, maxWorkers: 1,
                    initializer: .task(SetGreeting.self, String(repeating: "g", count: 100_000)),
                    maxTasksPerChild: nil, executable: testWorker, workerOutput: .discard, crashBacktraces: false,
                    observer: nil, tuning: ProcessPoolTuning(messageLimit: Self.messageLimit))
            }
            #expect(error?.message.contains("SetGreeting") == true, "\(String(describing: error))")
        }
    }
}
