import SystemPlatform

/// The process pool's manager thread: the only thread that talks to the worker processes.
///
/// Python: `_ExecutorManagerThread` in `process.py`. Each turn of its loop:
///
/// 1. **Dispatch.** Take calls from the pool's queue and send them to workers: first one to
///    each idle worker, then to new workers while the pool may still grow, then a second one
///    to each busy worker, so that it finds its next call waiting when it finishes (Python
///    keeps `max_workers + 1` calls in its call queue for the same reason). A call becomes
///    *running* when it is sent: from then on `cancel()` fails, as in Python.
/// 2. **Retire.** A worker that has been sent `maxTasksPerChild` calls, or every worker once the
///    pool is shut down and the queue is empty, gets the end of its stream: it finishes the
///    calls it has, then exits, and the manager collects its exit status. A replacement is
///    started when there is work for it.
/// 3. **Wait.** `poll` on every worker's socket and error pipe and on the wake-up pipe that
///    `submit` and `shutdown` write to. Then read replies and complete their futures (on
///    this thread: done-callbacks run here, as in Python), forward error output, and notice
///    workers whose stream has ended.
/// 4. **Look for ended workers.** Every `exitCheckInterval`, ask the system whether a worker
///    has ended (`waitpid` with `WNOHANG`). The end of a worker's stream usually says so first,
///    but not when a program its task started holds a copy of the worker's socket: then the
///    stream stays open for as long as that program lives. (Python's manager waits on each
///    process's *sentinel*, a pipe that has the same weakness.)
///
/// A worker whose stream ends while it still owes replies, or that was not retired, has died:
/// the pool is *broken*. Every call in flight or in the queue fails with `BrokenProcessPool`,
/// naming the pid, how it ended and the end of its error output; the other workers are
/// terminated and collected; later submits throw the same error.
final class ProcessPoolManager: @unchecked Sendable {
    /// How many calls a worker may have in flight: the one it runs, and the next one.
    static let callsInFlightPerWorker = 2
    /// How long a new worker may take to say "ready" before the pool gives up on it: long
    /// enough for a slow machine, short enough to report a program that never calls the
    /// worker hook (and so never answers) instead of waiting forever.
    static let workerStartTimeout = Duration.seconds(10)
    /// How long a worker may take to exit after its stream ended, or after SIGTERM, before
    /// it is killed with SIGKILL.
    static let exitGrace = Duration.seconds(1)
    /// How often the manager asks the system whether a worker has ended (step 4): the longest
    /// a death can go unnoticed when the end of its stream does not come. Each check is one
    /// `waitpid` per worker, so an idle pool wakes up 20 times a second.
    static let exitCheckInterval = Duration.milliseconds(50)

    /// How long the manager's last act waits for the workers' output to be written out.
    static let outputFlushTimeout = Duration.seconds(1)

    private let core: ProcessPoolCore
    private var configuration: ProcessPoolConfiguration { core.configuration }
    private let wakeUpReader: Int32
    /// Copies the workers' output to standard error without ever making this thread wait;
    /// `nil` when the output is discarded.
    private let outputForwarder: OutputForwarder?
    private var workers: [WorkerProcess] = []
    private var nextCallID: UInt64 = 0
    private var isShuttingDown = false
    private var moreCallsWaiting = false
    private var nextExitCheck = Deadline.now

    init(core: ProcessPoolCore, wakeUpReader: Int32) {
        self.core = core
        self.wakeUpReader = wakeUpReader
        outputForwarder = core.configuration.outputDestination.flatMap { OutputForwarder(copying: $0) }
    }

    // MARK: The loop

    func run() {
        var breakdown: Breakdown?
        while true {
            breakdown = dispatchQueuedCalls()
            if breakdown != nil { break }
            retireWorkersWithNothingLeftToDo()
            publishWorkers()
            if isShuttingDown, !moreCallsWaiting, workers.isEmpty { break }
            breakdown = waitAndHandleEvents()
            if breakdown != nil { break }
            breakdown = collectEndedWorkers()
            if breakdown != nil { break }
        }
        if let breakdown { breakPool(breakdown) }
        outputForwarder?.finish(within: Self.outputFlushTimeout)
        core.managerFinished(wakeUpReader: wakeUpReader)
    }

    /// Why the pool broke, with the calls that a dead worker still owed (that worker is no
    /// longer in `workers`: it has been collected, and its pid must not be signalled again).
    private struct Breakdown {
        let error: BrokenProcessPool
        var callsOfDeadWorker: [WorkerProcess.SentCall] = []
    }

    // MARK: 1. Dispatch

    /// Sends queued calls to workers with room for them, starting workers as needed.
    /// Returns a breakdown if a worker could not be started.
    private func dispatchQueuedCalls() -> Breakdown? {
        // Idle workers first, growing the pool while calls are left over.
        while true {
            let idle = workers.filter { hasRoom($0, inFlightBelow: 1) }
            let intake = take(upTo: idle.count)
            for (call, worker) in zip(intake.calls, idle) { send(call, to: worker) }
            // Cancelled calls were skipped: the idle workers may still have room.
            if !intake.cancelled.isEmpty { continue }
            guard moreCallsWaiting, workers.count < configuration.maxWorkers else { break }
            do {
                workers.append(try startWorker())
            } catch {
                return Breakdown(error: BrokenProcessPool(
                    "could not start a worker process from \(configuration.executablePath): \(error)"))
            }
        }
        // Then a second call for each busy worker.
        while moreCallsWaiting {
            let busy = workers.filter { hasRoom($0, inFlightBelow: Self.callsInFlightPerWorker) }
            guard !busy.isEmpty else { break }
            let intake = take(upTo: busy.count)
            for (call, worker) in zip(intake.calls, busy) { send(call, to: worker) }
        }
        return nil
    }

    /// `true` if `worker` may be sent another call now.
    private func hasRoom(_ worker: WorkerProcess, inFlightBelow limit: Int) -> Bool {
        if worker.isRetiring || worker.inFlight.count >= limit { return false }
        if let maxTasks = configuration.maxTasksPerChild, worker.callsSent >= maxTasks { return false }
        return true
    }

    private func take(upTo limit: Int) -> ProcessPoolCore.Intake {
        let intake = core.takeCalls(limit: limit, drainingWakeUps: wakeUpReader)
        moreCallsWaiting = intake.moreWaiting
        isShuttingDown = intake.isShuttingDown
        return intake
    }

    private func send(_ call: any ProcessCall, to worker: WorkerProcess) {
        worker.send(call, callID: nextCallID)
        nextCallID += 1
    }

    /// Spawns a worker and sends it the initializer, if the pool has one.
    private func startWorker() throws -> WorkerProcess {
        let started = try WorkerLaunch.start(
            executable: configuration.executablePath, environment: configuration.environment)
        let worker = WorkerProcess(
            started, startDeadline: Deadline.now.advanced(by: Self.workerStartTimeout),
            messageLimit: configuration.messageLimit)
        if let initializer = configuration.initializer {
            worker.send(.initialize(task: initializer.task, input: initializer.input))
        }
        return worker
    }

    // MARK: 2. Retire

    /// Retires each worker that has been sent its `maxTasksPerChild` calls, and every worker
    /// once the pool is shutting down with nothing left in the queue.
    private func retireWorkersWithNothingLeftToDo() {
        for worker in workers where !worker.isRetiring {
            let usedUp = configuration.maxTasksPerChild.map { worker.callsSent >= $0 } ?? false
            if usedUp || (isShuttingDown && !moreCallsWaiting) { worker.retire() }
        }
    }

    private func publishWorkers() {
        let idle = workers.count { !$0.isRetiring && $0.inFlight.isEmpty }
        core.publishWorkers(pids: workers.map(\.pid), idle: idle)
    }

    // MARK: 3. Wait and handle events

    /// Sleeps in `poll` until a worker or the wake-up pipe has something, then handles it.
    /// Returns a breakdown when the pool is broken.
    private func waitAndHandleEvents() -> Breakdown? {
        var descriptors = [pollfd(fd: wakeUpReader, events: Int16(POLLIN), revents: 0)]
        var owners: [WorkerProcess?] = [nil]
        for worker in workers {
            for descriptor in worker.pollDescriptors() {
                descriptors.append(descriptor)
                owners.append(worker)
            }
        }
        let ready = poll(&descriptors, nfds_t(descriptors.count), pollTimeout())
        if ready < 0 && errno != EINTR {
            return Breakdown(error: BrokenProcessPool("poll failed: \(String(cString: strerror(errno)))"))
        }

        // Error output first: what a task printed before it returned then goes out before
        // its future completes.
        for (descriptor, owner) in zip(descriptors, owners) where descriptor.revents != 0 {
            guard let worker = owner, !worker.isSocket(descriptor.fd) else { continue }
            worker.readErrorOutput(forwardTo: outputForwarder)
        }
        for (descriptor, owner) in zip(descriptors, owners) where descriptor.revents != 0 {
            guard let worker = owner, worker.isSocket(descriptor.fd), workers.contains(where: { $0 === worker })
            else { continue }
            if descriptor.revents & Int16(POLLOUT) != 0 { worker.writeOutgoing() }
            if descriptor.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                if let breakdown = handleInput(from: worker) { return breakdown }
            }
        }
        return checkStartDeadlines()
    }

    /// Milliseconds until the next exit check or the earliest start deadline of a worker not
    /// ready yet, whichever comes first; -1 (no timeout) when there is no worker.
    private func pollTimeout() -> Int32 {
        guard !workers.isEmpty else { return -1 }
        var earliest = nextExitCheck
        for worker in workers {
            if case .starting(let deadline) = worker.state { earliest = min(earliest, deadline) }
        }
        let (seconds, attoseconds) = earliest.remaining.components
        return Int32(min(seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1, Int64(Int32.max)))
    }

    private func handleInput(from worker: WorkerProcess) -> Breakdown? {
        switch worker.receive() {
        case .messages(let messages):
            for message in messages {
                if let error = handle(message, from: worker) { return Breakdown(error: error) }
            }
            return nil
        case .endOfStream:
            return workerEnded(worker)
        case .malformed(let problem):
            return Breakdown(error: BrokenProcessPool(
                "worker pid \(worker.pid) broke the protocol (\(problem))", workerPID: worker.pid))
        }
    }

    private func handle(_ message: WorkerMessage, from worker: WorkerProcess) -> BrokenProcessPool? {
        switch message {
        case .ready:
            if case .starting = worker.state { worker.state = .ready }
            return nil

        case .initializerFailed(let failure):
            let error = RemoteTaskError(failure, task: configuration.initializer?.task ?? "?", workerPID: worker.pid)
            return BrokenProcessPool(
                "A process initializer failed, the process pool is not usable anymore: "
                    + "\(error.taskName) threw \(error.typeName): \(error.message) (in worker pid \(worker.pid))",
                workerPID: worker.pid, initializerError: error)

        case .finished(let callID, let startedAt, let reply):
            guard let sent = worker.takeAnsweredCall(), sent.callID == callID else {
                return BrokenProcessPool(
                    "worker pid \(worker.pid) answered call \(callID), which it was not running", workerPID: worker.pid)
            }
            core.callStarted(sent.call, workerPID: worker.pid, at: instant(ofMonotonicNanoseconds: startedAt))
            sent.call.complete(with: reply, workerPID: worker.pid, coder: core.coder) { outcome in
                core.callWillComplete(sent.call, outcome: outcome)
            }
            return nil
        }
    }

    /// A worker's stream ended: it has exited or is exiting. Collects it, and decides whether
    /// that was expected (retired, nothing owed) or a death that breaks the pool.
    private func workerEnded(_ worker: WorkerProcess) -> Breakdown? {
        let termination = worker.finish(grace: Self.exitGrace, forwardTo: outputForwarder)
        workers.removeAll { $0 === worker }
        if worker.isRetiring && worker.inFlight.isEmpty { return nil }

        let how = termination.map { "\($0)" } ?? "ended"
        var message = "A process in the process pool was terminated abruptly while the future was running or pending: "
            + "worker pid \(worker.pid) \(how)"
        if case .starting = worker.state {
            message += " before it was ready; does the program call ProcessPoolExecutor.runWorkerIfRequested(tasks:) "
                + "first thing in main, and does it register the pool's tasks?"
        }
        let error = BrokenProcessPool(
            message, workerPID: worker.pid, termination: termination, standardErrorTail: worker.standardErrorTail)
        return Breakdown(error: error, callsOfDeadWorker: worker.takeAllCallsInFlight())
    }

    /// 4. Collects the workers that have ended although their stream is still open, and treats
    /// each as if its stream had ended. Returns a breakdown if one of them died.
    private func collectEndedWorkers() -> Breakdown? {
        guard nextExitCheck.hasPassed else { return nil }
        nextExitCheck = Deadline.now.advanced(by: Self.exitCheckInterval)
        for worker in workers where worker.hasEnded() {
            // Replies it sent before it ended may still wait in the socket: take them first.
            // (That may also find the end of the stream, which handles the worker.)
            if let breakdown = handleInput(from: worker) { return breakdown }
            guard workers.contains(where: { $0 === worker }) else { continue }
            if let breakdown = workerEnded(worker) { return breakdown }
        }
        return nil
    }

    /// Kills a worker that has not said "ready" in time.
    private func checkStartDeadlines() -> Breakdown? {
        for worker in workers {
            guard case .starting(let deadline) = worker.state, deadline.hasPassed else { continue }
            worker.send(signal: SIGKILL)
            let termination = worker.finish(grace: Self.exitGrace, forwardTo: outputForwarder)
            workers.removeAll { $0 === worker }
            let error = BrokenProcessPool(
                "worker pid \(worker.pid) did not start within \(Self.workerStartTimeout): does the program call "
                    + "ProcessPoolExecutor.runWorkerIfRequested(tasks:) first thing in main?",
                workerPID: worker.pid, termination: termination, standardErrorTail: worker.standardErrorTail)
            return Breakdown(error: error, callsOfDeadWorker: worker.takeAllCallsInFlight())
        }
        return nil
    }

    // MARK: Breaking

    /// Python: `_terminate_broken`. Marks the pool broken (so submits fail at once), fails
    /// every call in flight or queued, then terminates and collects the remaining workers.
    private func breakPool(_ breakdown: Breakdown) {
        let error = breakdown.error
        let queued = core.markBroken(error)
        for sent in breakdown.callsOfDeadWorker { core.failCall(sent.call, with: error, wasSent: true) }
        for worker in workers {
            for sent in worker.takeAllCallsInFlight() { core.failCall(sent.call, with: error, wasSent: true) }
        }
        for call in queued { core.failCall(call, with: error, wasSent: false) }
        for worker in workers { worker.send(signal: SIGTERM) }
        for worker in workers { _ = worker.finish(grace: Self.exitGrace, forwardTo: outputForwarder) }
        workers.removeAll()
    }

    // MARK: The thread

    /// Starts the manager on a new, detached thread.
    func start() -> Result<ThreadHandle, WorkerLaunch.SystemCallError> {
        switch startThread(named: "ProcessPoolMgr", { self.run() }) {
        case .success(let thread):
            thread.detach()  // nobody joins it: `shutdown(wait:)` waits for `managerFinished`
            return .success(thread)
        case .failure(let error):
            return .failure(WorkerLaunch.SystemCallError(call: "pthread_create", code: error.code))
        }
    }
}

/// The `ContinuousClock` instant of a `CLOCK_MONOTONIC` reading from another process (when a
/// worker started a call), found through the time elapsed since then. Both clocks advance
/// together while the machine is awake.
private func instant(ofMonotonicNanoseconds then: Int64) -> ContinuousClock.Instant {
    ContinuousClock.now.advanced(by: .nanoseconds(then - Deadline.now.nanoseconds))
}
