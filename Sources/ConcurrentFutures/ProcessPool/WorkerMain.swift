import SystemPlatform

extension ProcessPoolExecutor {
    /// Turns this run of the program into a process pool worker if the pool started it as one;
    /// otherwise returns at once and the program goes on as usual. **Call it first thing in
    /// your program's entry point**, with the tasks the pool may send.
    ///
    /// This is the Swift counterpart of Python's entry-point guard:
    ///
    ///     # Python: a worker imports the main module again; the guard keeps it from
    ///     # running the program's own code (and starting pools of its own).
    ///     if __name__ == "__main__":
    ///         with ProcessPoolExecutor() as pool:
    ///             print(list(pool.map(count_primes, ranges)))
    ///
    ///     // Swift, main.swift: a worker is a fresh run of the same executable. The hook
    ///     // catches it before the program's own code runs, and never returns in a worker.
    ///     let tasks: [any ProcessTask.Type] = [CountPrimes.self]
    ///     ProcessPoolExecutor.runWorkerIfRequested(tasks: tasks)
    ///
    ///     try withProcessPool(tasks: tasks) { pool in
    ///         print(try Array(pool.map(CountPrimes.self, ranges)))
    ///     }
    ///
    /// In a worker it serves calls until the pool closes the stream, then exits the process
    /// with status 0. A worker is recognised by an environment variable that the pool sets
    /// (and this function removes, so that a pool created inside a task works normally).
    ///
    /// Forgetting the hook cannot multiply processes: a pool refuses to start in a process that
    /// was started as a worker (`ProcessPoolError(.startedAsWorker)`), and a worker that does
    /// not answer within a few seconds breaks its pool with an error that names the hook.
    public static func runWorkerIfRequested(tasks: [any ProcessTask.Type]) {
        guard getenv(WorkerLaunch.modeVariable) != nil else { return }
        unsetenv(WorkerLaunch.modeVariable)
        var messageLimit = maximumFrameLength
        if let text = getenv(WorkerLaunch.messageLimitVariable), let limit = Int(String(cString: text)) {
            messageLimit = min(limit, maximumFrameLength)
            unsetenv(WorkerLaunch.messageLimitVariable)
        }
        exit(WorkerLoop.run(tasks: tasks, messageLimit: messageLimit))
    }
}

/// The loop of a worker process: read a call, run it, send the reply, until the stream ends.
///
/// Python: `_process_worker` in `process.py`. It runs on the main thread of the worker, one
/// call at a time, with blocking reads and writes: a worker has nothing else to do.
enum WorkerLoop {
    private static let socket = WorkerLaunch.childSocketDescriptor

    /// Serves calls; returns the exit status for the process. `messageLimit`: the largest
    /// message body either side may send (`maximumFrameLength` unless a test lowered it).
    static func run(tasks: [any ProcessTask.Type], messageLimit: Int) -> Int32 {
        // The socket came in as descriptor 3 through `dup2`, which clears close-on-exec. Set
        // it again before any task runs: a program that a task starts would otherwise inherit
        // the socket, and as long as that program lives, the pool would never see the end of
        // the stream that tells it this worker has died.
        setCloseOnExec(socket)
        let registry: ProcessTaskRegistry
        do {
            registry = try ProcessTaskRegistry(tasks)
        } catch {
            FutureDiagnostics.printToStandardError("process pool worker: \(error)")
            return 70
        }
        let coder = PayloadCoder()
        guard send(.ready) else { return 0 }

        while true {
            let body: [UInt8]
            switch readFrame(limit: messageLimit) {
            case .frame(let received): body = received
            case .endOfStream: return 0  // the pool is done with this worker
            case .failed(let problem):
                FutureDiagnostics.printToStandardError("process pool worker: \(problem)")
                return 71
            }
            let message: ParentMessage
            do {
                message = try ParentMessage(body: body[...])
            } catch {
                FutureDiagnostics.printToStandardError("process pool worker: \(error)")
                return 71
            }

            switch message {
            case .initialize(let task, let input):
                do {
                    guard let entry = registry[task] else { throw ProcessPoolError(.unregisteredTask(task)) }
                    _ = try entry.runOne(input, coder)
                    flushStandardOutput()
                } catch {
                    flushStandardOutput()
                    FutureDiagnostics.printToStandardError("process pool worker: exception in initializer \(task): \(error)")
                    _ = send(.initializerFailed(RemoteFailure(error, atMost: messageLimit / 2)))
                    return 1  // Python's worker returns too; the parent marks the pool broken
                }

            case .run(let callID, let task, let shape, let input):
                let startedAt = Deadline.now.nanoseconds
                let reply = runCall(task, shape: shape, input: input, registry: registry, coder: coder)
                flushStandardOutput()
                var message = WorkerMessage.finished(callID: callID, startedAt: startedAt, reply: reply)
                if message.bodyLength > messageLimit {
                    // Too large to send: the parent would stop trusting the stream and break
                    // the pool. This call fails instead, with an error that says why.
                    let header = WorkerMessage.finished(callID: callID, startedAt: startedAt, reply: .returned([])).bodyLength
                    let error = ProcessPoolError(.outputTooLarge(
                        task: task, bytes: message.bodyLength - header, limit: messageLimit, header: header))
                    message = .finished(callID: callID, startedAt: startedAt, reply: .threw(RemoteFailure(error)))
                }
                guard send(message) else { return 0 }
            }
        }
    }

    /// Runs one call and turns whatever happens into a reply; a task's error never escapes.
    private static func runCall(
        _ task: String, shape: CallShape, input: [UInt8], registry: ProcessTaskRegistry, coder: PayloadCoder
    ) -> CallReply {
        guard let entry = registry[task] else {
            return .threw(RemoteFailure(ProcessPoolError(.unregisteredTask(task))))
        }
        do {
            switch shape {
            case .single:
                return .returned(try entry.runOne(input, coder))
            case .chunk:
                let (outputs, error) = try entry.runChunk(input, coder)
                if let error { return .stoppedEarly(outputs: outputs, failure: RemoteFailure(error)) }
                return .returned(outputs)
            }
        } catch {
            return .threw(RemoteFailure(error))
        }
    }

    /// Standard output is a pipe in a worker, so the C library buffers it: flush after each
    /// call, so that what a task printed shows up now, next to its result, not at exit.
    private static func flushStandardOutput() { fflush(nil) }

    /// Sends one message; `false` if the parent is gone.
    private static func send(_ message: WorkerMessage) -> Bool {
        var frame: [UInt8] = []
        message.write(to: &frame)
        var offset = 0
        while offset < frame.count {
            let written = frame.withUnsafeBytes { bytes in
                sendWithoutSignal(socket, bytes.baseAddress! + offset, bytes.count - offset)
            }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return false  // EPIPE: the parent has gone away
            }
        }
        return true
    }

    private enum ReadResult {
        case frame([UInt8])
        case endOfStream
        case failed(String)
    }

    /// Reads one frame, blocking: its 4-byte length, then its body.
    private static func readFrame(limit: Int) -> ReadResult {
        guard let header = readExactly(4) else { return .endOfStream }
        let length = header.reversed().reduce(0) { ($0 << 8) | Int($1) }
        guard length <= limit else { return .failed("a frame announces \(length) bytes") }
        guard let body = readExactly(length) else { return .failed("the stream ended inside a frame") }
        return .frame(body)
    }

    /// Exactly `count` bytes, or `nil` if the stream ends (or fails) first.
    private static func readExactly(_ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let received = bytes.withUnsafeMutableBytes { buffer in
                recv(socket, buffer.baseAddress! + filled, count - filled, 0)
            }
            if received > 0 {
                filled += received
            } else if received < 0 && errno == EINTR {
                continue
            } else {
                return nil
            }
        }
        return bytes
    }
}
