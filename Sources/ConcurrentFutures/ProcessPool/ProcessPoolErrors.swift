import SystemPlatform

// The errors of the process pool.
//
//   Python                                                    Swift
//   concurrent.futures.process.BrokenProcessPool              BrokenProcessPool
//   the remote traceback chained to a task's exception        RemoteTaskError
//   pickle.PicklingError (a lambda, a local function)         ProcessPoolError(.closureSubmitted)
//   AttributeError / PicklingError (function not importable)  ProcessPoolError(.unregisteredTask)
//   TypeError / PicklingError (argument not picklable)        ProcessPoolError(.inputNotEncodable)

/// A process pool that can no longer run tasks: one of its worker processes died (a crash, a
/// `fatalError`, an `exit`, a `kill -9` from outside), its initializer failed, or a worker
/// could not be started. Every pending and running future of the pool fails with this error,
/// and every later `submit` throws it.
///
/// Python: `concurrent.futures.process.BrokenProcessPool`.
///
///     do { _ = try future.result() }
///     catch let error as BrokenProcessPool {
///         print(error.message)                  // names the worker's pid and how it ended
///         print(error.standardErrorTail)        // the last lines it wrote, e.g. "Fatal error: ..."
///     }
public struct BrokenProcessPool: BrokenExecutor {
    public let message: String
    /// The worker process that ended, when one did.
    public let workerPID: Int32?
    /// How it ended (exit status or signal), when it did.
    public let termination: ProcessTermination?
    /// The end of what the worker wrote to its standard error (and standard output) before
    /// it ended, at most a few kilobytes; empty when it wrote nothing.
    public let standardErrorTail: String
    /// The error the initializer threw, when the pool broke because of it.
    public let initializerError: RemoteTaskError?

    public init(
        _ message: String, workerPID: Int32? = nil, termination: ProcessTermination? = nil,
        standardErrorTail: String = "", initializerError: RemoteTaskError? = nil
    ) {
        self.message = message
        self.workerPID = workerPID
        self.termination = termination
        self.standardErrorTail = standardErrorTail
        self.initializerError = initializerError
    }

    public var description: String {
        var text = "BrokenProcessPool: \(message)"
        if !standardErrorTail.isEmpty {
            text += "\n--- the end of the worker's standard error ---\n" + standardErrorTail
            if !standardErrorTail.hasSuffix("\n") { text += "\n" }
            text += "---"
        }
        return text
    }
}

/// How a child process ended, decoded from its wait status.
public enum ProcessTermination: Sendable, Equatable, CustomStringConvertible {
    /// It called `exit(status)` (or returned from `main`).
    case exited(status: Int32)
    /// A signal ended it: 9 for `kill -9`, 4 (SIGILL) for a Swift trap such as `fatalError` on
    /// x86_64, 5 (SIGTRAP) on arm64, 11 for a segmentation fault.
    case killed(signal: Int32)

    /// Decodes the status that `waitpid` reports. `WIFEXITED` and friends are C macros that
    /// Swift does not import, so this does by hand what they do: the low 7 bits hold the
    /// signal number (0 when the process exited), the next byte holds the exit status.
    init(waitStatus status: Int32) {
        let signal = status & 0x7f
        self = signal == 0 ? .exited(status: (status >> 8) & 0xff) : .killed(signal: signal)
    }

    public var description: String {
        switch self {
        case .exited(let status):
            return "exited with status \(status)"
        case .killed(let signal):
            let name = signalNames[signal].map { " (\($0))" } ?? ""
            let hint = signal == SIGILL || signal == SIGTRAP
                ? ": a Swift runtime trap such as fatalError, a failed precondition or a force-unwrapped nil"
                : ""
            return "was killed by signal \(signal)\(name)\(hint)"
        }
    }
}

private let signalNames: [Int32: String] = [
    SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
    SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV",
    SIGPIPE: "SIGPIPE", SIGTERM: "SIGTERM",
]

/// An error that a task threw in a worker process, brought back to the parent.
///
/// The error itself cannot cross the process boundary (it is a Swift value of a type the
/// parent may not even know), so what comes back is its type name and its description, the
/// way Python attaches the worker's formatted traceback (`_RemoteTraceback`) to the error.
///
///     do { _ = try pool.submit(ParseNumber.self, "forty-two").result() }
///     catch let error as RemoteTaskError {
///         print(error.typeName)   // "ParseError"
///         print(error.message)    // what the error's description said in the worker
///     }
public struct RemoteTaskError: Error, Equatable, CustomStringConvertible {
    /// The name of the task that threw, e.g. "ParseNumber".
    public let taskName: String
    /// The type of the error in the worker, e.g. "ParseError".
    public let typeName: String
    /// The error's description in the worker.
    public let message: String
    /// The worker process it happened in.
    public let workerPID: Int32

    public init(taskName: String, typeName: String, message: String, workerPID: Int32) {
        self.taskName = taskName
        self.typeName = typeName
        self.message = message
        self.workerPID = workerPID
    }

    public var description: String {
        "RemoteTaskError: task \(taskName) threw \(typeName): \(message) (in worker pid \(workerPID))"
    }
}

/// A call that a process pool refuses before sending anything to a worker, or a value that
/// could not cross the process boundary.
///
///     try pool.submit { 6 * 7 }       // throws ProcessPoolError(.closureSubmitted)
///     try pool.submit(Unlisted.self, 1) // throws ProcessPoolError(.unregisteredTask("Unlisted"))
public struct ProcessPoolError: Error, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// `submit { ... }` or `map(items) { ... }` with a closure: it cannot be sent to
        /// another process. Python raises `PicklingError` for a lambda.
        case closureSubmitted
        /// A task that is not in the pool's `tasks:` list.
        case unregisteredTask(String)
        /// A task whose name is registered, but by another type.
        case taskTypeMismatch(String)
        /// Two registered task types with the same `name`.
        case duplicateTaskName(String)
        /// An input whose `encode(to:)` threw (a type that refuses to be sent elsewhere).
        case inputNotEncodable(task: String, detail: String)
        /// A result from the worker that the parent could not decode.
        case outputNotDecodable(task: String, detail: String)
        /// An input (or a `map` chunk of inputs) whose encoding does not fit in one message to
        /// a worker: `bytes` encoded, at most `limit` bytes per message including `header`.
        case inputTooLarge(task: String, bytes: Int, limit: Int, header: Int)
        /// A result (or a chunk of results) whose encoding does not fit in one message from
        /// the worker. The worker reports this instead, and goes on.
        case outputTooLarge(task: String, bytes: Int, limit: Int, header: Int)
        /// A pool created inside a worker process whose program did not call the worker hook.
        case startedAsWorker
    }

    public let reason: Reason
    public init(_ reason: Reason) { self.reason = reason }

    public var message: String {
        switch reason {
        case .closureSubmitted:
            "closures cannot cross a process boundary; register a ProcessTask and call "
                + "submit(Task.self, input) or map(Task.self, inputs) (Python raises PicklingError for a lambda)"
        case .unregisteredTask(let name):
            "the task \(name) is not registered with this pool: add it to the pool's tasks: list "
                + "and to the list given to ProcessPoolExecutor.runWorkerIfRequested(tasks:)"
        case .taskTypeMismatch(let name):
            "another type is registered under the task name \(name); give one of them its own `static var name`"
        case .duplicateTaskName(let name):
            "two task types share the name \(name); give one of them its own `static var name`"
        case .inputNotEncodable(let task, let detail):
            "the input for task \(task) cannot be encoded, nothing was sent: \(detail)"
        case .outputNotDecodable(let task, let detail):
            "the result of task \(task) could not be decoded: \(detail)"
        case .inputTooLarge(let task, let bytes, let limit, let header):
            "the input for task \(task) is \(describeByteCount(bytes)) encoded, too large for one message to a worker "
                + "(at most \(describeByteCount(limit)), \(header) of them for the header); nothing was sent: "
                + "split it into smaller inputs (for map: a smaller chunkSize)"
        case .outputTooLarge(let task, let bytes, let limit, let header):
            "the result of task \(task) is \(describeByteCount(bytes)) encoded, too large for one message from a worker "
                + "(at most \(describeByteCount(limit)), \(header) of them for the header); this call failed, the worker "
                + "goes on: return less (for map: a smaller chunkSize)"
        case .startedAsWorker:
            "this process was started as a process pool worker, but its program did not call "
                + "ProcessPoolExecutor.runWorkerIfRequested(tasks:) before creating a pool: call it "
                + "first thing in main (Python's `if __name__ == \"__main__\":` guard)"
        }
    }

    public var description: String { "ProcessPoolError: \(message)" }
}

/// "1234 bytes", with the size in MiB or GiB too when it is that large.
func describeByteCount(_ bytes: Int) -> String {
    let mebibytes = Double(bytes) / 1_048_576
    if mebibytes >= 1024 { return "\(bytes) bytes (\((mebibytes / 1024 * 10).rounded() / 10) GiB)" }
    if mebibytes >= 1 { return "\(bytes) bytes (\((mebibytes * 10).rounded() / 10) MiB)" }
    return "\(bytes) bytes"
}

/// A short description of a coding error: the context's sentence rather than the whole
/// nested dump that `EncodingError`'s description prints.
func describeCodingError(_ error: any Error) -> String {
    switch error {
    case EncodingError.invalidValue(let value, let context) where value is Any.Type:
        return context.debugDescription  // the binary coder's refusals name the type in the sentence
    case EncodingError.invalidValue(let value, let context):
        return "\(context.debugDescription) (value: \(value))"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
        DecodingError.keyNotFound(_, let context), DecodingError.dataCorrupted(let context):
        return context.debugDescription
    default:
        return String(describing: error)
    }
}
