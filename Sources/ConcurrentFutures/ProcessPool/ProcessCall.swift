/// A call submitted to a process pool: the task's name, its input already encoded, and the
/// future that will receive its outcome. It waits in the pool's queue until the manager sends
/// it to a worker, then waits for the reply.
///
/// Python: `_WorkItem` while it waits in the parent, `_CallItem` once it is sent.
///
/// The queue holds calls of every output type, so it stores them as `any ProcessCall`; the one
/// implementation is `TypedProcessCall`.
protocol ProcessCall: AnyObject, Sendable {
    var taskID: Int { get }
    var label: String? { get }
    var taskName: String { get }
    var shape: CallShape { get }
    /// The input, encoded: one input, or an array of inputs for a chunk.
    var input: [UInt8] { get }

    /// Pending → running, just before it is sent; `false` if it was cancelled (skip it).
    func markRunning() -> Bool
    /// Cancels the future if it has not been sent. `true` if it is cancelled now.
    func cancel() -> Bool
    /// Decodes the worker's reply and completes the future with it. `willComplete` hears the
    /// outcome first (for statistics and observers), then the future completes.
    func complete(
        with reply: CallReply, workerPID: Int32, coder: PayloadCoder,
        willComplete: (TaskOutcome) -> Void)
    /// Fails the future without a reply (the pool broke). `false` if it was cancelled.
    func fail(with error: any Error) -> Bool
}

/// A call whose future has the value type `Value`: `T.Output` for `submit`, `[T.Output]` for a
/// chunk of `map`.
final class TypedProcessCall<Value: Sendable>: ProcessCall {
    let taskName: String
    let shape: CallShape
    let input: [UInt8]
    let future: Future<Value>
    var taskID: Int { future.origin?.taskID ?? 0 }
    var label: String? { future.origin?.label }
    /// Turns a reply into the future's outcome. Set by the two initializers below, which
    /// know how their shape of reply is decoded.
    private let interpret: @Sendable (CallReply, _ workerPID: Int32, PayloadCoder) -> Result<Value, any Error>

    private init(
        origin: TaskOrigin, taskName: String, shape: CallShape, input: [UInt8],
        interpret: @escaping @Sendable (CallReply, Int32, PayloadCoder) -> Result<Value, any Error>
    ) {
        future = Future(origin: origin)
        self.taskName = taskName
        self.shape = shape
        self.input = input
        self.interpret = interpret
    }

    /// One call of `task`, from `submit`: the reply holds one output.
    convenience init<T: ProcessTask>(single task: T.Type, origin: TaskOrigin, input: [UInt8])
    where Value == T.Output {
        self.init(origin: origin, taskName: T.name, shape: .single, input: input) { reply, pid, coder in
            switch reply {
            case .returned(let output):
                return decodeOutput(T.Output.self, output, task: T.name, coder: coder)
            case .threw(let failure):
                return .failure(RemoteTaskError(failure, task: T.name, workerPID: pid))
            case .stoppedEarly:
                return .failure(MalformedMessage(detail: "a chunk reply to a single call"))
            }
        }
    }

    /// A chunk of calls of `task`, from `map(chunkSize:)`: the reply holds an array of
    /// outputs. When the chunk stopped at an error, the future fails with `PartialChunk`, which
    /// carries the outputs before the error, so `MapResults` can hand them out first.
    convenience init<T: ProcessTask>(chunk task: T.Type, origin: TaskOrigin, input: [UInt8])
    where Value == [T.Output] {
        self.init(origin: origin, taskName: T.name, shape: .chunk, input: input) { reply, pid, coder in
            switch reply {
            case .returned(let outputs):
                return decodeOutput([T.Output].self, outputs, task: T.name, coder: coder)
            case .threw(let failure):
                return .failure(RemoteTaskError(failure, task: T.name, workerPID: pid))
            case .stoppedEarly(let outputs, let failure):
                let error = RemoteTaskError(failure, task: T.name, workerPID: pid)
                return decodeOutput([T.Output].self, outputs, task: T.name, coder: coder)
                    .flatMap { values in .failure(PartialChunk(values: values, error: error)) }
            }
        }
    }

    func markRunning() -> Bool { (try? future.setRunningOrNotifyCancel()) == true }

    func cancel() -> Bool { future.cancel() }

    func complete(
        with reply: CallReply, workerPID: Int32, coder: PayloadCoder,
        willComplete: (TaskOutcome) -> Void
    ) {
        let result = interpret(reply, workerPID, coder)
        switch result {
        case .success: willComplete(.returned)
        case .failure(let error): willComplete(.threw(String(describing: error)))
        }
        do {
            try future.finish(with: result)
        } catch {
            // Someone called setResult/setException on this future while the call ran.
            FutureDiagnostics.report(.discardedResult, error: error, subject: future.description)
        }
    }

    func fail(with error: any Error) -> Bool { (try? future.setException(error)) != nil }
}

/// Decodes a worker's output; a failure becomes a `ProcessPoolError` naming the task.
private func decodeOutput<Output: Decodable>(
    _ type: Output.Type, _ data: [UInt8], task: String, coder: PayloadCoder
) -> Result<Output, any Error> {
    do {
        return .success(try coder.decode(type, from: data))
    } catch {
        return .failure(ProcessPoolError(.outputNotDecodable(task: task, detail: describeCodingError(error))))
    }
}

extension RemoteTaskError {
    init(_ failure: RemoteFailure, task: String, workerPID: Int32) {
        self.init(taskName: task, typeName: failure.typeName, message: failure.message, workerPID: workerPID)
    }
}
