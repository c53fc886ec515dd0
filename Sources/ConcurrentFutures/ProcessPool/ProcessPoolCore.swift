import SystemPlatform
import Synchronization

/// Numbers the process pools of the program, for their names: ProcessPoolExecutor-0, -1, ...
private let processPoolCounter = Atomic<Int>(0)

/// What a process pool is configured with; fixed when the pool is created.
struct ProcessPoolConfiguration: Sendable {
    let maxWorkers: Int
    let maxTasksPerChild: Int?
    let executablePath: String
    /// The workers' environment, "NAME=value" strings (see `WorkerLaunch.environment`).
    let environment: [String]
    /// The initializer's task name and encoded input.
    let initializer: (task: String, input: [UInt8])?
    /// Where the workers' output goes: the parent's standard error (2), or nowhere (`nil`).
    let outputDestination: Int32?
    let observer: (@Sendable (TaskEvent) -> Void)?
    /// The registered task names, and the type that registered each.
    let registeredTasks: [String: ObjectIdentifier]
    /// The largest message body, in bytes, either side may send (see `ProcessPoolTuning`).
    let messageLimit: Int
}

/// Settings of a process pool that its users never change and its tests do: they make the
/// pool's limits small enough to reach without allocating gigabytes, or send its workers'
/// output to a pipe of the test.
struct ProcessPoolTuning: Sendable {
    /// The largest message body, in bytes: `maximumFrameLength` (1 GiB) unless a test lowers it.
    var messageLimit = maximumFrameLength
    /// The descriptor that stands for "this process's standard error" (`workerOutput:`).
    var standardError: Int32 = 2
}

/// The state that a process pool's callers (`submit`, `shutdown`, `statistics`) share with its
/// manager thread: the queue of calls not yet sent, the pool's lifecycle, the counters.
///
/// Python keeps the same things in the `ProcessPoolExecutor` object, guarded by its
/// `_shutdown_lock`, and hands them to `_ExecutorManagerThread`.
///
/// Locking: one `ConditionLock` guards the queue and the lifecycle; `shutdown(wait: true)`
/// sleeps on it until the manager has finished. Counters that change as calls finish are
/// atomics, so the manager updates them without the lock.
final class ProcessPoolCore: @unchecked Sendable {
    /// The pool's life. `shutDown` and `broken` are final; a broken pool stays broken after
    /// `shutdown`, so `submit` keeps saying why.
    private enum Lifecycle {
        case accepting
        case shutDown
        case broken(BrokenProcessPool)
    }

    /// The manager thread's life. It starts with the first `submit` (as in Python).
    private enum ManagerState {
        case notStarted
        /// Running; a byte written to `wakeUp` makes its `poll` return.
        case running(thread: ThreadHandle, wakeUp: Int32)
        case finished
    }

    let configuration: ProcessPoolConfiguration
    let coder = PayloadCoder()
    /// The pool's name ("ProcessPoolExecutor-0"), which its futures carry in their origin.
    let identity = PoolIdentity(name: "ProcessPoolExecutor-\(processPoolCounter.add(1, ordering: .relaxed).oldValue)")

    private let condition = ConditionLock()
    // Guarded by `condition`:
    private var lifecycle = Lifecycle.accepting
    private var queue = FIFOQueue<any ProcessCall>()
    private var nextTaskID = 0
    private var manager = ManagerState.notStarted
    /// A wake-up byte has been written and the manager has not taken the queue since.
    private var wakeUpPending = false
    private var workerPIDs: [Int32] = []
    private var idleWorkers = 0

    // Updated by the manager without the lock.
    private let runningCalls = Atomic<Int>(0)
    private let completedCalls = Atomic<Int>(0)
    private let failedCalls = Atomic<Int>(0)
    private let cancelledCalls = Atomic<Int>(0)

    init(configuration: ProcessPoolConfiguration) {
        self.configuration = configuration
    }

    // MARK: Submitting (any thread)

    /// Checks that `task` is the type registered under its name.
    func checkRegistered<T: ProcessTask>(_ task: T.Type) throws {
        guard let registered = configuration.registeredTasks[T.name] else {
            throw ProcessPoolError(.unregisteredTask(T.name))
        }
        guard registered == ObjectIdentifier(task) else { throw ProcessPoolError(.taskTypeMismatch(T.name)) }
    }

    /// Encodes an input for `task`.
    func encode<Input: Encodable>(_ input: Input, for taskName: String) throws -> [UInt8] {
        let encoded: [UInt8]
        do {
            encoded = try coder.encode(input)
        } catch {
            throw ProcessPoolError(.inputNotEncodable(task: taskName, detail: describeCodingError(error)))
        }
        try checkFitsInOneMessage(encoded, for: taskName)
        return encoded
    }

    /// Checks that a call of `taskName` with this encoded input fits in one message, here,
    /// where its caller hears about it: the worker's side would only see a stream it cannot
    /// trust and exit, breaking the pool for every call.
    func checkFitsInOneMessage(_ input: [UInt8], for taskName: String) throws {
        let header = ParentMessage.runBodyLength(task: taskName, inputCount: 0)
        guard header + input.count > configuration.messageLimit else { return }
        throw ProcessPoolError(.inputTooLarge(
            task: taskName, bytes: input.count, limit: configuration.messageLimit, header: header))
    }

    /// The encoded input of the next call of a `map`: the next input alone when `chunkSize`
    /// is 1, else the next `chunkSize` inputs as one array; `nil` when `inputs` is used up.
    func encodeNextCall<Inputs: IteratorProtocol>(
        from inputs: inout Inputs, chunkSize: Int, for taskName: String
    ) throws -> [UInt8]? where Inputs.Element: Encodable {
        if chunkSize == 1 {
            return try inputs.next().map { try encode($0, for: taskName) }
        }
        let encoded: [UInt8]?
        do {
            encoded = try coder.encodeArray(taking: chunkSize, from: &inputs)
        } catch {
            throw ProcessPoolError(.inputNotEncodable(task: taskName, detail: describeCodingError(error)))
        }
        if let encoded { try checkFitsInOneMessage(encoded, for: taskName) }
        return encoded
    }

    /// Queues the call that `makeCall` builds for the next task number, and makes sure the
    /// manager will see it.
    ///
    /// - Throws: `ShutdownError` after `shutdown`, the `BrokenProcessPool` error of a broken
    ///   pool, or the error of starting the manager thread.
    func submit<Call: ProcessCall>(label: String?, _ makeCall: (TaskOrigin) -> Call) throws -> Call {
        let submittedAt = configuration.observer == nil ? nil : ContinuousClock.now
        condition.lock()
        switch lifecycle {
        case .accepting:
            break
        case .shutDown:
            condition.unlock()
            throw ShutdownError()
        case .broken(let error):
            condition.unlock()
            throw error
        }
        if case .notStarted = manager {
            do {
                manager = try startManager()
            } catch {
                condition.unlock()
                throw error
            }
        }
        let call = makeCall(TaskOrigin(pool: identity, taskID: nextTaskID, label: label))
        nextTaskID += 1
        queue.append(call)
        wakeManager()
        condition.unlock()

        if let observer = configuration.observer, let submittedAt {
            observer(TaskEvent(taskID: call.taskID, label: call.label, kind: .submitted, time: submittedAt))
        }
        return call
    }

    /// Starts the manager thread, with the pipe that wakes it up. Lock held.
    private func startManager() throws -> ManagerState {
        var wakeUpPipe: [Int32] = [-1, -1]
        guard makePipe(&wakeUpPipe, nonBlocking: true) == 0 else {
            throw WorkerLaunch.SystemCallError(call: "pipe", code: errno)
        }
        let manager = ProcessPoolManager(core: self, wakeUpReader: wakeUpPipe[0])
        switch manager.start() {
        case .success(let thread):
            return .running(thread: thread, wakeUp: wakeUpPipe[1])
        case .failure(let error):
            close(wakeUpPipe[0])
            close(wakeUpPipe[1])
            throw error
        }
    }

    /// Makes the manager's `poll` return, unless a wake-up is already on its way. Lock held:
    /// the manager closes the pipe under the same lock, so the write never hits a closed
    /// (or reused) descriptor.
    private func wakeManager() {
        guard case .running(_, let wakeUp) = manager, !wakeUpPending else { return }
        wakeUpPending = true
        var byte: UInt8 = 1
        _ = write(wakeUp, &byte, 1)
    }

    // MARK: For the manager thread

    /// What the manager takes from the queue in one go.
    struct Intake {
        /// Calls now marked running, to be sent.
        var calls: [any ProcessCall] = []
        /// Calls found cancelled in the queue: never sent, to be counted as cancelled.
        var cancelled: [any ProcessCall] = []
        /// Calls are still waiting in the queue.
        var moreWaiting = false
        /// `shutdown` has been called (or the pool is broken): no new calls will come.
        var isShuttingDown = false
    }

    /// Takes up to `limit` calls from the queue and marks them running (skipping cancelled
    /// ones). Python: `add_call_item_to_queue`, which calls `set_running_or_notify_cancel`
    /// as a work item moves to the call queue: from then on it can no longer be cancelled.
    func takeCalls(limit: Int, drainingWakeUps wakeUpReader: Int32) -> Intake {
        var intake = Intake()
        condition.lock()
        if wakeUpPending {
            var bytes = [UInt8](repeating: 0, count: 64)
            while read(wakeUpReader, &bytes, bytes.count) > 0 {}
            wakeUpPending = false
        }
        while intake.calls.count < limit, let call = queue.popFirst() {
            if call.markRunning() {
                intake.calls.append(call)
            } else {
                intake.cancelled.append(call)
            }
        }
        intake.moreWaiting = !queue.isEmpty
        if case .accepting = lifecycle {} else { intake.isShuttingDown = true }
        condition.unlock()
        for call in intake.cancelled { callCancelled(call) }
        runningCalls.add(intake.calls.count, ordering: .relaxed)
        return intake
    }

    /// The manager tells which workers are alive and how many of them are idle.
    func publishWorkers(pids: [Int32], idle: Int) {
        condition.withLock {
            workerPIDs = pids
            idleWorkers = idle
        }
    }

    /// The pool is broken: later `submit`s throw `error`. Returns the calls still queued, for
    /// the manager to fail.
    func markBroken(_ error: BrokenProcessPool) -> [any ProcessCall] {
        condition.withLock {
            if case .broken = lifecycle {} else { lifecycle = .broken(error) }
            return queue.removeAll()
        }
    }

    /// The manager's last act: it closes the wake-up pipe and wakes `shutdown(wait: true)`.
    func managerFinished(wakeUpReader: Int32) {
        condition.withLock {
            if case .running(_, let wakeUp) = manager { close(wakeUp) }
            close(wakeUpReader)
            manager = .finished
            workerPIDs = []
            idleWorkers = 0
        }
        condition.broadcast()
    }

    // MARK: Hearing about calls (on the manager thread)

    func callStarted(_ call: any ProcessCall, workerPID: Int32, at time: ContinuousClock.Instant) {
        report(call, .started(worker: "pid \(workerPID)"), at: time)
    }

    func callWillComplete(_ call: any ProcessCall, outcome: TaskOutcome) {
        switch outcome {
        case .returned: completedCalls.add(1, ordering: .relaxed)
        case .threw: failedCalls.add(1, ordering: .relaxed)
        case .cancelled: cancelledCalls.add(1, ordering: .relaxed)
        }
        runningCalls.subtract(1, ordering: .relaxed)
        report(call, .finished(outcome), at: .now)
    }

    /// A call that never reached a worker was cancelled.
    func callCancelled(_ call: any ProcessCall) {
        cancelledCalls.add(1, ordering: .relaxed)
        report(call, .finished(.cancelled), at: .now)
    }

    /// A call failed without a reply because the pool broke: queued (`wasSent == false`) or
    /// sent to a worker.
    func failCall(_ call: any ProcessCall, with error: BrokenProcessPool, wasSent: Bool) {
        if wasSent { runningCalls.subtract(1, ordering: .relaxed) }
        // Report first, then fail: observers hear about a call before its future completes.
        // A call cancelled meanwhile (only possible while queued) keeps its cancellation.
        if call.fail(with: error) {
            failedCalls.add(1, ordering: .relaxed)
            report(call, .finished(.threw(error.description)), at: .now)
        } else {
            callCancelled(call)
        }
    }

    private func report(_ call: any ProcessCall, _ kind: TaskEvent.Kind, at time: ContinuousClock.Instant) {
        configuration.observer?(TaskEvent(taskID: call.taskID, label: call.label, kind: kind, time: time))
    }

    // MARK: Shutting down (any thread)

    func shutdown(wait: Bool, cancelFutures: Bool) {
        condition.lock()
        if case .accepting = lifecycle { lifecycle = .shutDown }
        let toCancel = cancelFutures ? queue.removeAll() : []
        wakeManager()
        var mustWait = false
        if wait, case .running(let thread, _) = manager {
            // A done-callback runs on the manager thread; if it shuts the pool down, waiting
            // for the manager to finish would wait for itself.
            mustWait = !thread.isCurrentThread
        }
        condition.unlock()

        for call in toCancel where call.cancel() { callCancelled(call) }
        guard mustWait else { return }
        condition.lock()
        while true {
            if case .finished = manager { break }
            condition.wait()
        }
        condition.unlock()
    }

    // MARK: Looking in (any thread)

    var statistics: ExecutorStatistics {
        condition.withLock {
            ExecutorStatistics(
                submitted: nextTaskID,
                queued: queue.count,
                running: runningCalls.load(ordering: .relaxed),
                completed: completedCalls.load(ordering: .relaxed),
                failed: failedCalls.load(ordering: .relaxed),
                cancelled: cancelledCalls.load(ordering: .relaxed),
                liveWorkers: workerPIDs.count,
                idleWorkers: idleWorkers
            )
        }
    }

    var currentWorkerPIDs: [Int32] { condition.withLock { workerPIDs } }
}
