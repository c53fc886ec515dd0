import SystemPlatform

/// An executor that runs tasks in worker **processes**: fresh runs of a program, each with its
/// own memory, talking to this process over a socket.
///
/// Python: `concurrent.futures.ProcessPoolExecutor` with the "spawn" start method.
///
///     # Python
///     def count_primes(limit): ...
///
///     if __name__ == "__main__":
///         with ProcessPoolExecutor(max_workers=2) as pool:
///             print(list(pool.map(count_primes, limits, chunksize=4)))
///
///     // Swift (main.swift)
///     enum CountPrimes: ProcessTask {
///         static func run(_ limit: Int) -> Int { ... }
///     }
///     let tasks: [any ProcessTask.Type] = [CountPrimes.self]
///     ProcessPoolExecutor.runWorkerIfRequested(tasks: tasks)   // the entry-point guard: first!
///
///     try withProcessPool(tasks: tasks, maxWorkers: 2) { pool in
///         print(try Array(pool.map(CountPrimes.self, limits, chunkSize: 4)))
///     }
///
/// **Why processes, when Swift threads already run in parallel?** Swift has no global
/// interpreter lock, so a `ThreadPoolExecutor` already uses every core for CPU-bound work.
/// Processes still win when you want *isolation*: a task that crashes (`fatalError`, a bad
/// pointer) kills its worker, not your program; memory a task leaks or state it corrupts goes
/// away with its worker (`maxTasksPerChild` replaces workers regularly); and a worker can be
/// killed from outside. The price: every input and output is encoded and copied between
/// processes, and each worker costs a few milliseconds to start.
///
/// **What can be sent.** A closure cannot cross a process boundary (Python cannot pickle a
/// lambda either), so tasks are types conforming to `ProcessTask`, registered by name, with
/// `Codable` inputs and outputs. The closure-taking `submit` of the `Executor` protocol throws
/// `ProcessPoolError(.closureSubmitted)`.
///
/// **The entry-point guard.** A worker is a new run of the program (by default, this one), so
/// the program must call `ProcessPoolExecutor.runWorkerIfRequested(tasks:)` before it does
/// anything else. In a worker, that call serves tasks and never returns; in the real program it
/// returns at once. It is Python's `if __name__ == "__main__":`.
///
/// How it works (the same design as Python's `process.py`): `submit` encodes the input and
/// queues the call; a manager thread (`ProcessPoolManager`) starts workers as needed, sends
/// each call with its task name to a worker, reads the replies and completes the futures. A
/// worker that dies breaks the pool: the pending futures fail with `BrokenProcessPool`.
///
/// Done-callbacks of its futures run on that manager thread (as in Python): keep them short,
/// and never wait in one for another future of the same pool, which only the manager itself
/// could complete.
public final class ProcessPoolExecutor: Executor {
    /// The most worker processes this pool runs at once.
    public let maxWorkers: Int
    /// How many calls a worker runs before it is replaced by a fresh process; `nil`: never.
    public let maxTasksPerChild: Int?
    /// The program the workers run.
    public let executablePath: String
    private let core: ProcessPoolCore

    /// Creates a pool. No process is started until the first `submit`; then workers start one
    /// at a time, as long as no worker is idle and there are fewer than `maxWorkers`.
    ///
    /// - Parameters:
    ///   - tasks: the task types this pool may run. The worker program must register them too,
    ///     in its call to `runWorkerIfRequested(tasks:)`.
    ///   - maxWorkers: the most worker processes at once; by default the number of cores this
    ///     process may use (Python 3.13: `os.process_cpu_count()`).
    ///   - initializer: a registered task that each worker runs once before any call. If it
    ///     throws, the pool becomes broken. Python: `initializer` and `initargs`.
    ///   - maxTasksPerChild: after this many calls (a `map` chunk counts as one) a worker exits
    ///     and a fresh one replaces it. No call is lost. Python: `max_tasks_per_child`.
    ///   - executable: the program to start as a worker; by default this one.
    ///   - workerOutput: where what the workers print goes: copied to this process's standard
    ///     error (the default), or discarded. Either way the last few kilobytes of each worker
    ///     are kept for the error message if it dies. The copying never holds the pool up: when
    ///     nobody reads standard error, up to 1 MiB waits, and what comes beyond is dropped
    ///     with a line that says how much (`OutputForwarder`).
    ///   - crashBacktraces: let Swift's crash backtracer run in workers. It prints a full
    ///     backtrace when a worker crashes, but keeps the dying worker alive for tens of
    ///     milliseconds; off by default.
    ///   - observer: called with a `TaskEvent` when a call is submitted, starts and finishes.
    ///     `.started(worker: "pid 12345")` names the worker process; it is reported when the
    ///     reply arrives, stamped with the time the worker began the call.
    /// - Throws: `InvalidArgumentError` if `maxWorkers` or `maxTasksPerChild` is below 1, or the
    ///   executable is missing, a directory, or not executable; `ProcessPoolError` for duplicate task names, an initializer
    ///   that is not registered or whose input cannot be encoded, or when called in a worker
    ///   process whose program skipped the worker hook.
    public convenience init(
        tasks: [any ProcessTask.Type],
        maxWorkers: Int? = nil,
        initializer: ProcessInitializer? = nil,
        maxTasksPerChild: Int? = nil,
        executable: WorkerExecutable = .current,
        workerOutput: WorkerOutput = .forwardToStandardError,
        crashBacktraces: Bool = false,
        observer: (@Sendable (TaskEvent) -> Void)? = nil
    ) throws {
        try self.init(
            tasks: tasks, maxWorkers: maxWorkers, initializer: initializer, maxTasksPerChild: maxTasksPerChild,
            executable: executable, workerOutput: workerOutput, crashBacktraces: crashBacktraces, observer: observer,
            tuning: ProcessPoolTuning())
    }

    /// The public initializer, plus the settings that only tests change (`ProcessPoolTuning`).
    init(
        tasks: [any ProcessTask.Type],
        maxWorkers: Int?,
        initializer: ProcessInitializer?,
        maxTasksPerChild: Int?,
        executable: WorkerExecutable,
        workerOutput: WorkerOutput,
        crashBacktraces: Bool,
        observer: (@Sendable (TaskEvent) -> Void)?,
        tuning: ProcessPoolTuning
    ) throws {
        if let maxWorkers, maxWorkers <= 0 {
            throw InvalidArgumentError("maxWorkers must be greater than 0, got \(maxWorkers)")
        }
        if let maxTasksPerChild, maxTasksPerChild < 1 {
            throw InvalidArgumentError("maxTasksPerChild must be >= 1, got \(maxTasksPerChild)")
        }
        // A program started as a worker that did not stop at the hook would run its own code,
        // create a pool, and start workers of its own, which would do the same...
        guard getenv(WorkerLaunch.modeVariable) == nil else { throw ProcessPoolError(.startedAsWorker) }

        let registeredTasks = try ProcessTaskRegistry(tasks).registeredTypes
        let executablePath = try executable.resolvedPath()
        try Self.checkRunnable(executablePath)

        var encodedInitializer: (task: String, input: [UInt8])?
        if let initializer {
            guard let registered = registeredTasks[initializer.taskName] else {
                throw ProcessPoolError(.unregisteredTask(initializer.taskName))
            }
            guard registered == initializer.taskType else {
                throw ProcessPoolError(.taskTypeMismatch(initializer.taskName))
            }
            let input: [UInt8]
            do {
                input = try BinaryEncoder().encode(initializer.input)
            } catch {
                throw ProcessPoolError(
                    .inputNotEncodable(task: initializer.taskName, detail: describeCodingError(error)))
            }
            let header = ParentMessage.initializeBodyLength(task: initializer.taskName, inputCount: 0)
            guard header + input.count <= tuning.messageLimit else {
                throw ProcessPoolError(.inputTooLarge(
                    task: initializer.taskName, bytes: input.count, limit: tuning.messageLimit, header: header))
            }
            encodedInitializer = (initializer.taskName, input)
        }

        self.maxWorkers = maxWorkers ?? ProcessPoolExecutor.defaultMaxWorkers
        self.maxTasksPerChild = maxTasksPerChild
        self.executablePath = executablePath
        core = ProcessPoolCore(configuration: ProcessPoolConfiguration(
            maxWorkers: self.maxWorkers,
            maxTasksPerChild: maxTasksPerChild,
            executablePath: executablePath,
            environment: WorkerLaunch.environment(backtraces: crashBacktraces, messageLimit: tuning.messageLimit),
            initializer: encodedInitializer,
            outputDestination: workerOutput == .forwardToStandardError ? tuning.standardError : nil,
            observer: observer,
            registeredTasks: registeredTasks,
            messageLimit: tuning.messageLimit
        ))
    }

    /// Checks, at `init`, that `path` is a program this process may start; otherwise the
    /// mistake would only show at the first `submit`, as a broken pool.
    private static func checkRunnable(_ path: String) throws {
        // A directory passes the `X_OK` test (for a directory it means "may enter").
        var status = stat()
        if stat(path, &status) == 0, Int(status.st_mode) & Int(S_IFMT) == Int(S_IFDIR) {
            throw InvalidArgumentError("executable \(path) is a directory, not a program")
        }
        guard access(path, X_OK) == 0 else {
            throw InvalidArgumentError("executable \(path) cannot be run: \(String(cString: strerror(errno)))")
        }
    }

    /// The number of cores this process may use: the default `maxWorkers`.
    public static var defaultMaxWorkers: Int { availableProcessorCount() }

    deinit {
        // Dropped without shutdown(): the workers finish the queue, then exit.
        core.shutdown(wait: false, cancelFutures: false)
    }

    // MARK: Submitting

    /// Schedules `task` with `input` on a worker process and returns its future at once.
    ///
    /// The input is encoded here, so a value that cannot be encoded is reported at this call
    /// and nothing is sent. Python: `submit(fn, /, *args, **kwargs)`.
    ///
    ///     let future = try pool.submit(CountPrimes.self, 1_000_000)
    ///     print(try future.result())
    ///
    /// - Parameter label: shown by observers (and timelines) for this call.
    /// - Throws: `ProcessPoolError` for a task not registered with the pool or an input that
    ///   cannot be encoded; `ShutdownError` after `shutdown`; `BrokenProcessPool` once broken.
    @discardableResult
    public func submit<T: ProcessTask>(_ task: T.Type, _ input: T.Input, label: String? = nil) throws -> Future<T.Output> {
        try core.checkRegistered(task)
        let encoded = try core.encode(input, for: T.name)
        return try core.submit(label: label) { origin in
            TypedProcessCall<T.Output>(single: task, origin: origin, input: encoded)
        }.future
    }

    /// Always throws `ProcessPoolError(.closureSubmitted)`: a closure cannot be sent to
    /// another process. Python raises `PicklingError` for a lambda. Register a `ProcessTask`
    /// and call `submit(Task.self, input)` instead.
    ///
    /// (This is the `Executor` protocol's requirement; the protocol's closure-taking `map`
    /// fails the same way.)
    public func submit<T: Sendable>(_ task: @escaping @Sendable () throws -> T) throws -> Future<T> {
        throw ProcessPoolError(.closureSubmitted)
    }

    /// Runs `task` on every input in worker processes and returns the outputs **in input
    /// order**, lazily. The same contract as `Executor.map`: iterating blocks only until the
    /// next output is ready; a task's error is rethrown at its item and the calls not yet sent
    /// are cancelled; the timeout counts from this call; dropping the results cancels what has
    /// not been sent.
    ///
    /// - Parameters:
    ///   - chunkSize: how many inputs travel in one message (and run as one call). With tiny
    ///     tasks, each message costs far more than the work: chunks of 100 or 1000 amortize it.
    ///     Python: `chunksize`.
    ///   - bufferSize: when set, at most this many calls are submitted ahead of the consumer
    ///     (Python 3.14's `buffersize`); inputs are then encoded as they are submitted, so an
    ///     input that cannot be encoded is reported when iteration reaches it. Without it every
    ///     input is encoded before anything is sent, and such an input fails this call.
    /// - Throws: `InvalidArgumentError` for `chunkSize < 1`, `bufferSize < 1` or a negative
    ///   timeout; `ProcessPoolError` for an unregistered task or an input that cannot be
    ///   encoded; `ShutdownError` or `BrokenProcessPool` from submitting.
    ///
    ///     let counts = try Array(pool.map(CountPrimes.self, limits, chunkSize: 16))
    @inlinable
    public func map<T: ProcessTask, Inputs: Sequence>(
        _ task: T.Type,
        _ inputs: Inputs,
        timeout: Duration? = nil,
        chunkSize: Int = 1,
        bufferSize: Int? = nil
    ) throws -> MapResults<T.Output> where Inputs.Element == T.Input {
        // Without a buffer every input is needed at once, so they are collected into an array
        // right here. `@inlinable` compiles this function into the caller, where `Inputs` is a
        // concrete type (a range, an array), so that loop runs at full speed; the same loop
        // inside the library, over a sequence of unknown type, makes a few calls per element.
        // (Measured: it tripled the time `map` took before its first call could be sent.)
        guard let bufferSize else {
            return try mapAll(task, Array(inputs), timeout: timeout, chunkSize: chunkSize)
        }
        return try mapLazily(task, inputs, timeout: timeout, chunkSize: chunkSize, bufferSize: bufferSize)
    }

    /// `map` without a buffer: every input is encoded before the first call is submitted, so
    /// an input that cannot be encoded fails the call and nothing is sent.
    @usableFromInline
    func mapAll<T: ProcessTask>(
        _ task: T.Type, _ inputs: [T.Input], timeout: Duration?, chunkSize: Int
    ) throws -> MapResults<T.Output> {
        let deadline = try checkMapArguments(task, timeout: timeout, chunkSize: chunkSize, bufferSize: nil)
        let core = self.core
        let encodedCalls = try inputs.withUnsafeBufferPointer { all in
            try stride(from: 0, to: all.count, by: chunkSize).map { start in
                var chunk = UnsafeBufferPointer(rebasing: all[start..<min(start + chunkSize, all.count)]).makeIterator()
                // `!`: a chunk is never empty, so there always is a next call.
                return try core.encodeNextCall(from: &chunk, chunkSize: chunkSize, for: T.name)!
            }
        }
        var remaining = encodedCalls.makeIterator()
        return try submitMapCalls(task, chunked: chunkSize > 1, deadline: deadline, bufferSize: nil) { remaining.next() }
    }

    /// `map` with a buffer: inputs are taken, encoded and submitted as the results are consumed.
    @usableFromInline
    func mapLazily<T: ProcessTask, Inputs: Sequence>(
        _ task: T.Type, _ inputs: Inputs, timeout: Duration?, chunkSize: Int, bufferSize: Int
    ) throws -> MapResults<T.Output> where Inputs.Element == T.Input {
        let deadline = try checkMapArguments(task, timeout: timeout, chunkSize: chunkSize, bufferSize: bufferSize)
        let core = self.core
        var iterator = inputs.makeIterator()
        return try submitMapCalls(task, chunked: chunkSize > 1, deadline: deadline, bufferSize: bufferSize) {
            try core.encodeNextCall(from: &iterator, chunkSize: chunkSize, for: T.name)
        }
    }

    /// Checks what `map` was given; returns the deadline for `timeout`.
    private func checkMapArguments<T: ProcessTask>(
        _ task: T.Type, timeout: Duration?, chunkSize: Int, bufferSize: Int?
    ) throws -> Deadline? {
        guard chunkSize >= 1 else { throw InvalidArgumentError("chunkSize must be >= 1, got \(chunkSize)") }
        if let bufferSize, bufferSize < 1 {
            throw InvalidArgumentError("bufferSize must be >= 1, got \(bufferSize)")
        }
        let deadline = try Deadline.after(timeout)
        try core.checkRegistered(task)
        return deadline
    }

    /// The results of a `map` whose encoded calls `nextInput` hands out: one input each, or a
    /// chunk of inputs each when `chunked`.
    private func submitMapCalls<T: ProcessTask>(
        _ task: T.Type, chunked: Bool, deadline: Deadline?, bufferSize: Int?,
        nextInput: @escaping () throws -> [UInt8]?
    ) throws -> MapResults<T.Output> {
        let core = self.core
        return try MapResults(deadline: deadline, bufferSize: bufferSize) {
            guard let input = try nextInput() else { return nil }
            if chunked {
                return .chunk(try core.submit(label: nil) { origin in
                    TypedProcessCall<[T.Output]>(chunk: task, origin: origin, input: input)
                }.future)
            }
            return .single(try core.submit(label: nil) { origin in
                TypedProcessCall<T.Output>(single: task, origin: origin, input: input)
            }.future)
        }
    }

    // MARK: Shutting down

    /// Stops accepting calls and, by default, waits until every queued call has run and every
    /// worker process has exited and been collected. Calling it again is harmless.
    ///
    /// - Parameters:
    ///   - wait: `false` returns at once; the manager still finishes the queue, then ends the
    ///     workers.
    ///   - cancelFutures: cancel every call not yet sent to a worker (sent calls finish).
    ///
    /// Python: `shutdown(wait=True, *, cancel_futures=False)`.
    public func shutdown(wait: Bool = true, cancelFutures: Bool = false) {
        core.shutdown(wait: wait, cancelFutures: cancelFutures)
    }

    // MARK: Looking in

    /// A snapshot of the pool's counters. A `map` chunk counts as one call; `liveWorkers` are
    /// processes, `running` calls sent to a worker and not answered yet.
    public var statistics: ExecutorStatistics { core.statistics }

    /// The pids of the worker processes alive right now (Python keeps them in the private
    /// `_processes`). Lessons use it to show workers being replaced; tests use it to kill one.
    public var workerProcessIDs: [Int32] { core.currentWorkerPIDs }
}

/// Which program a process pool starts as its workers.
public enum WorkerExecutable: Sendable, Equatable {
    /// The running program itself, as Python's "spawn" start method does.
    case current
    /// Another program, by path. It must call `ProcessPoolExecutor.runWorkerIfRequested(tasks:)`
    /// with the pool's tasks first thing.
    case path(String)
    /// A program in the same directory as the program (or test bundle) that the library is
    /// linked into: another executable product of the same package. This is how tests run a
    /// pool: under `swift test` the library is linked into the test bundle, and the worker is
    /// an executable target that SwiftPM builds next to it.
    case sibling(named: String)

    func resolvedPath() throws -> String {
        switch self {
        case .path(let path):
            return path
        case .current:
            guard let path = executablePath() else {
                throw InvalidArgumentError("cannot find the running executable: \(String(cString: strerror(errno)))")
            }
            return path
        case .sibling(let name):
            // `#dsohandle` is an address inside the image this library is linked into.
            guard let directory = productsDirectory(containing: #dsohandle) else {
                throw InvalidArgumentError("cannot find the folder of the running program for sibling \"\(name)\"")
            }
            return "\(directory)/\(name)"
        }
    }
}

/// Where a process pool sends what its workers print (standard output and standard error).
public enum WorkerOutput: Sendable, Equatable {
    /// Copied to this process's standard error as it arrives, by a thread of its own: if
    /// nobody reads standard error, at most 1 MiB waits and the rest is dropped (and counted).
    case forwardToStandardError
    /// Thrown away (the end is still kept for `BrokenProcessPool.standardErrorTail`).
    case discard
}
