import ConcurrentFutures
import Foundation
import SystemPlatform

/// What a scenario works with: pools it can watch, gates and rendezvous, a temporary folder.
/// Everything made through the context is known to the watchdog, which describes it when the
/// scenario has to be stopped.
public final class CheckContext: Sendable {
    public let exerciseID: String
    /// The source file under test (the exercise, or the solution), for checks about the code.
    public let sourceText: String?
    /// Multiplies every time-out: above 1 when the process runs slowly (ThreadSanitizer).
    public let timeScale: Double

    private struct TrackedPool {
        let prefix: String
        let pool: ThreadPoolExecutor
        let recorder: TaskEventRecorder
    }

    private struct State {
        var pools: [TrackedPool] = []
        var instruments: [any Instrument] = []
        var temporaryDirectories: [String] = []
        var step: String?
        var callerThread: UInt64?
        var isAsync = false
        var startedAt = ContinuousClock.now
        var extraThreadPrefixes: [String] = []
        /// For the timeline: the calls and the instrumented work so far (the pools' tasks are
        /// in their recorders), how deep in `step` the scenario is, the threads seen by number.
        var recording = ScenarioRecording()
        var watchedRecorders: [TaskEventRecorder] = []
        var stepDepth = 0
        var threadNumbers: [UInt64: Int] = [:]
    }

    private let state = LockedValue(State())
    private static let poolCounter = LockedValue(0)

    init(exerciseID: String, sourceText: String?, timeScale: Double) {
        self.exerciseID = exerciseID
        self.sourceText = sourceText
        self.timeScale = timeScale
    }

    // MARK: Making instruments

    /// A pool whose tasks the watchdog can describe. Its threads are named "c05a-3_0", ...
    public func pool(maxWorkers: Int) throws -> ThreadPoolExecutor {
        let number = Self.poolCounter.withLock { counter in counter += 1; return counter }
        let prefix = "c\(exerciseID)-\(number)"
        let recorder = TaskEventRecorder()
        let pool = try ThreadPoolExecutor(maxWorkers: maxWorkers, threadNamePrefix: prefix, observer: recorder.record)
        state.withLock { $0.pools.append(TrackedPool(prefix: prefix, pool: pool, recorder: recorder)) }
        return pool
    }

    /// Runs `body` with a new watched pool, then shuts the pool down (waiting, under the watchdog).
    public func withPool<T>(maxWorkers: Int, _ body: (ThreadPoolExecutor) throws -> T) throws -> T {
        let pool = try pool(maxWorkers: maxWorkers)
        let result = try body(pool)
        shutDown(pool)
        return result
    }

    /// Draws the tasks of an executor the check made itself (a process pool) on the timeline,
    /// from the recorder that is its observer.
    public func watch(_ recorder: TaskEventRecorder) {
        state.withLock { $0.watchedRecorders.append(recorder) }
    }

    /// The events the pool made by `pool(maxWorkers:)` reported so far.
    public func events(of pool: ThreadPoolExecutor) -> [TaskEvent] {
        state.withLock { $0.pools.first { $0.pool === pool }?.recorder.events } ?? []
    }

    /// A unique name for things the implementation creates itself (a service's pool).
    public func uniqueName(_ stem: String) -> String {
        let number = Self.poolCounter.withLock { counter in counter += 1; return counter }
        let name = "\(stem)\(number)"
        state.withLock { $0.extraThreadPrefixes.append(name) }
        return name
    }

    /// A gate that times out after `timeout` seconds (scaled).
    public func gate(_ name: String, timeout: Double = 2) -> Gate {
        let gate = Gate(name, timeout: timeout * timeScale)
        state.withLock { $0.instruments.append(gate) }
        return gate
    }

    /// A rendezvous for the first `parties` callers, broken after `timeout` seconds (scaled).
    /// With `distinctThreads`, only callers on different threads count.
    public func rendezvous(_ name: String, parties: Int = 2, timeout: Double = 2, distinctThreads: Bool = false) -> Rendezvous {
        let rendezvous = Rendezvous(name, parties: parties, timeout: timeout * timeScale, countDistinctThreads: distinctThreads)
        state.withLock { $0.instruments.append(rendezvous) }
        return rendezvous
    }

    /// An `AsyncRendezvous` for the first `parties` async callers, broken after `timeout` seconds (scaled).
    public func asyncRendezvous(_ name: String, parties: Int = 2, timeout: Double = 2) -> AsyncRendezvous {
        let rendezvous = AsyncRendezvous(name, parties: parties, timeout: timeout * timeScale)
        state.withLock { $0.instruments.append(rendezvous) }
        return rendezvous
    }

    /// A new empty folder, deleted when the scenario ends.
    public func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "workbook-\(exerciseID)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        state.withLock { $0.temporaryDirectories.append(path) }
        return path
    }

    /// `seconds` scaled by `timeScale`, as a `Duration`.
    public func seconds(_ seconds: Double) -> Duration { .milliseconds(Int(seconds * timeScale * 1000)) }

    // MARK: Saying what is going on

    /// Names what the scenario is doing now, for the watchdog's explanation:
    /// `try ctx.step("calling firstGoodAnswer") { try impl.firstGoodAnswer(...) }`.
    /// The scenario's timeline draws the step on the caller's row, labelled with the function
    /// it calls ("firstGoodAnswer"), `·` where the thread was asleep in it.
    public func step<T>(_ description: String, _ body: () throws -> T) rethrows -> T {
        let call = beginStep(description, recorded: true)
        defer { endStep(call) }
        return try body()
    }

    public func step<T>(_ description: String, _ body: () async throws -> T) async rethrows -> T {
        let call = beginStep(description, recorded: true)
        defer { endStep(call) }
        return try await body()
    }

    /// Shuts `pool` down, waiting for its tasks: the watchdog stops the scenario if a task of the
    /// implementation never ends. (Not a call of the code under test: not on the timeline.)
    public func shutDown(_ pool: ThreadPoolExecutor) {
        let call = beginStep("shutting the check's pool down after your code returned (waiting for its tasks to end)", recorded: false)
        defer { endStep(call) }
        pool.shutdown(wait: true)
    }

    /// A step under way, for the timeline: nil when it is not drawn (a step inside a step, a
    /// step on another thread than the scenario's).
    private struct OpenCall {
        let label: String
        let started: ContinuousClock.Instant
        let sampler: SleepSampler?
    }

    private func beginStep(_ description: String, recorded: Bool) -> OpenCall? {
        let thread = currentThreadID()
        let (drawn, caller, isAsync) = state.withLock { state in
            state.step = description
            state.stepDepth += 1
            // An async scenario hops between threads: its steps are drawn, its sleep is not.
            let onScenarioThread = state.isAsync || state.callerThread == thread
            return (recorded && state.stepDepth == 1 && onScenarioThread, state.callerThread, state.isAsync)
        }
        guard drawn else { return nil }
        let sampler = isAsync ? nil : caller.map { SleepSampler(watching: $0) }
        return OpenCall(label: ScenarioRecording.callLabel(description), started: .now, sampler: sampler)
    }

    private func endStep(_ call: OpenCall?) {
        let finished = ContinuousClock.now
        let waits = call?.sampler?.stop() ?? []
        state.withLock { state in
            state.step = nil
            state.stepDepth -= 1
            if let call {
                state.recording.calls.append(.init(label: call.label, started: call.started, finished: finished, waits: waits))
            }
        }
    }

    /// Runs `body` (instrumented work the check hands to the code under test) and notes it for
    /// the timeline, on the row of the thread it runs on: a pool worker's name, or "thread 2".
    /// For pools the check does not make itself (the exercise's own), whose observer it cannot
    /// set: `readFile: { path in try ctx.recordWork(name(path)) { try read(path) } }`.
    public func recordWork<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        let row = ThreadPoolExecutor.currentWorkerName ?? threadRow(currentThreadID())
        let started = ContinuousClock.now
        var failed = true
        defer {
            let work = ScenarioRecording.Work(row: row, label: label, started: started, finished: .now, failed: failed)
            state.withLock { $0.recording.work.append(work) }
        }
        let result = try body()
        failed = false
        return result
    }

    /// Names the pool task that runs this call of an instrumented function, for the timeline:
    /// `{ replica in ctx.labelTask(replica); ... }` draws that task as `[r2===]`, not `[3===]`.
    public func labelTask(_ label: String) {
        guard let worker = ThreadPoolExecutor.currentWorkerName else { return }
        let now = ContinuousClock.now
        let mark = ScenarioRecording.Work(row: worker, label: label, started: now, finished: now, failed: false, isLabel: true)
        state.withLock { $0.recording.work.append(mark) }
    }

    /// `recordWork` for async work (the child tasks of a task group), which has no thread of
    /// its own: it is drawn on lanes, one piece of work at a time on each.
    public func recordWork<T>(_ label: String, _ body: () async throws -> T) async rethrows -> T {
        let started = ContinuousClock.now
        var failed = true
        defer {
            let work = ScenarioRecording.Work(row: nil, label: label, started: started, finished: .now, failed: failed)
            state.withLock { $0.recording.work.append(work) }
        }
        let result = try await body()
        failed = false
        return result
    }

    /// "thread 1", "thread 2", ...: threads that are not pool workers, numbered as they show up;
    /// "caller" for the scenario's own thread (the code under test did the work itself).
    private func threadRow(_ thread: UInt64) -> String {
        state.withLock { state in
            if thread == state.callerThread && !state.isAsync { return ScenarioRecording.callerRow }
            let number = state.threadNumbers[thread] ?? (state.threadNumbers.count + 1)
            state.threadNumbers[thread] = number
            return "thread \(number)"
        }
    }

    /// What the scenario saw so far, for its timeline.
    public var recording: ScenarioRecording {
        state.withLock { state in
            var recording = state.recording
            recording.poolEvents = state.pools.map(\.recorder.events) + state.watchedRecorders.map(\.events)
            return recording
        }
    }

    /// Marks futures that the check made fail on purpose as looked at, so that the library does
    /// not report "error never retrieved" for them when an implementation (a stub) ignores them.
    public func expectUnread<T>(_ futures: [Future<T>]) {
        for future in futures { _ = try? future.exception(timeout: .zero) }
    }

    /// Waits until `condition` holds (polling), at most `timeout` seconds (scaled); returns it.
    public func eventually(timeout: Double = 2, _ condition: () -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout * timeScale)
        while !condition() {
            if Date() > deadline { return condition() }
            usleep(500)
        }
        return true
    }

    /// `eventually` for async code: polls without blocking a thread.
    public func eventually(timeout: Double = 2, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + seconds(timeout)
        while !condition() {
            if ContinuousClock.now > deadline { return condition() }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return true
    }

    /// Runs `action` on a helper thread once the thread that runs the scenario (the one that
    /// called the implementation) is asleep, waiting for something (a future, a lock), or after
    /// `timeout` seconds (scaled) if it never sleeps. A check uses it to let work finish only
    /// once the implementation has begun to wait for it: an implementation that does not wait
    /// returns before the work is done, in every run.
    public func whenCallerWaits(timeout: Double = 2, _ action: @escaping @Sendable () -> Void) {
        guard let caller = state.withLock({ $0.callerThread }) else { return action() }
        whenThreadWaits(caller, timeout: timeout, action)
    }

    /// `whenCallerWaits` for another thread (an id from `currentThreadID()`), such as one the
    /// check started to call `close()`. Also runs `action` once that thread has ended.
    public func whenThreadWaits(_ caller: UInt64, timeout: Double = 2, _ action: @escaping @Sendable () -> Void) {
        let deadline = ContinuousClock.now + seconds(timeout)
        let helper = Thread {
            // Asleep at two looks a millisecond apart: not a passing moment on a busy lock.
            var asleepBefore = false
            while ContinuousClock.now < deadline {
                let asleep = snapshotThread(caller).map { $0.state == .waiting } ?? true
                if asleep && asleepBefore { break }
                asleepBefore = asleep
                usleep(1000)
            }
            action()
        }
        helper.start()
    }

    // MARK: For the harness

    func scenarioStarted(isAsync: Bool = false) {
        state.withLock {
            $0.callerThread = currentThreadID()
            $0.isAsync = isAsync
            $0.startedAt = .now
        }
    }

    /// After the scenario: pools it left running are shut down without waiting (cancelling what
    /// is queued), gates open, temporary folders go.
    func cleanUp() {
        let (pools, instruments, directories) = state.withLock {
            ($0.pools.map(\.pool), $0.instruments, $0.temporaryDirectories)
        }
        for instrument in instruments { instrument.releaseAll() }
        for pool in pools { pool.shutdown(wait: false, cancelFutures: true) }
        for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// What the scenario was doing when the watchdog stopped it, for the learner.
    func explainStuck(after seconds: Double) -> String {
        let snapshot = state.withLock { $0 }
        let threads = allThreads()
        func thread(named name: String) -> ThreadSnapshot? {
            let shortName = String(decoding: name.utf8.prefix(15), as: UTF8.self)
            return threads.first { $0.name == shortName }
        }
        var lines: [String] = []
        lines.append("Stopped after \(String(format: "%.1f", seconds)) s"
            + (snapshot.step.map { " while \($0)" } ?? "") + ".")

        var deadlockSuspected = false
        var busyLoopSuspected = false
        var callbacksSuspected = false
        let gatesWaiting = snapshot.instruments.compactMap(\.stuckDescription)

        for tracked in snapshot.pools {
            let stats = tracked.pool.statistics
            lines.append("Pool \(tracked.prefix) (maxWorkers \(tracked.pool.maxWorkers)): \(stats)")
            var submitted: [Int: String] = [:]
            var started: [Int: (worker: String, time: ContinuousClock.Instant)] = [:]
            var finished: Set<Int> = []
            for event in tracked.recorder.events {
                switch event.kind {
                case .submitted: submitted[event.taskID] = event.label.map { "\"\($0)\"" } ?? "task \(event.taskID)"
                case .started(let worker): started[event.taskID] = (worker, event.time)
                case .finished: finished.insert(event.taskID)
                }
            }
            var sleepingWorkers = 0
            var runningTasks = 0
            for id in started.keys.sorted() where !finished.contains(id) {
                let (worker, time) = started[id]!
                runningTasks += 1
                let age = (ContinuousClock.now - time).seconds
                var line = "  running: \(submitted[id] ?? "task \(id)") on \(worker) for \(String(format: "%.1f", age)) s"
                if let snapshot = thread(named: worker) {
                    line += "; thread " + snapshot.activity
                    if snapshot.isRunning { busyLoopSuspected = true } else { sleepingWorkers += 1 }
                }
                lines.append(line)
            }
            // Workers that are neither running a task nor idle are stuck after a task: in its
            // future's done-callbacks (code of the implementation), which run on the worker.
            let inCallbacks = stats.liveWorkers - stats.idleWorkers - runningTasks
            if inCallbacks > 0 {
                callbacksSuspected = true
                let busyNames = Set(started.filter { !finished.contains($0.key) }.map(\.value.worker))
                let others = threads.filter { $0.name.hasPrefix(tracked.prefix + "_") && !busyNames.contains($0.name) }
                lines.append("  \(inCallbacks) worker\(inCallbacks == 1 ? " has" : "s have") finished a task but not come back for the next: "
                    + "they are running the done-callbacks of its future")
                for thread in others.prefix(6) { lines.append("    \(thread.name): \(thread.activity)") }
            }
            let queued = submitted.keys.sorted().filter { started[$0] == nil && !finished.contains($0) }
            if !queued.isEmpty {
                let names = queued.prefix(8).map { submitted[$0]! }.joined(separator: ", ")
                lines.append("  queued: \(names)" + (queued.count > 8 ? ", and \(queued.count - 8) more" : ""))
            }
            if runningTasks >= tracked.pool.maxWorkers, !queued.isEmpty, sleepingWorkers == runningTasks, gatesWaiting.isEmpty {
                deadlockSuspected = true
            }
        }
        for prefix in snapshot.extraThreadPrefixes {
            for thread in threads where thread.name.hasPrefix(prefix) {
                lines.append("Thread \(thread.name): \(thread.activity)")
                if thread.isRunning { busyLoopSuspected = true }
            }
        }
        lines += gatesWaiting
        if let caller = snapshot.callerThread, let snapshot = snapshotThread(caller) {
            lines.append("The thread that called your code: \(snapshot.activity)")
            if snapshot.isRunning { busyLoopSuspected = true }
        }
        if deadlockSuspected {
            lines.append("Diagnosis: every worker is asleep in a task, and work is queued behind them that no worker "
                + "is free to run. They are not simply waiting for tasks of their own pool (its deadlock detector "
                + "would have said so). Look for a lock taken by a thread that already holds it (a callback called "
                + "inside withLock), a semaphore or condition nobody signals, or a wait for another pool's work.")
        } else if callbacksSuspected && !busyLoopSuspected {
            lines.append("Diagnosis: workers are stuck in done-callbacks. A callback runs on the thread that "
                + "completes the future; if it waits for a lock, that thread waits with it. Is a callback (or "
                + "something it calls) taking a lock that the same thread already holds, for example by calling "
                + "out while inside withLock? Call out after the lock is released.")
        } else if busyLoopSuspected {
            lines.append("Diagnosis: a thread is using the CPU without end: look for a loop whose exit condition never becomes true.")
        } else if !gatesWaiting.isEmpty {
            lines.append("Diagnosis: the check holds some calls back until your code has done something else first "
                + "(reported a result, returned); your code waited for the held calls instead.")
        } else {
            lines.append("Diagnosis: everything is waiting and nothing is running: something waits for an event "
                + "that never comes (a future nobody completes, a wait without a time-out).")
        }
        return lines.joined(separator: "\n")
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}

/// How much slower than usual this process runs: 1, or more under ThreadSanitizer or
/// AddressSanitizer (which make code several times slower), or what `WORKBOOK_TIME_SCALE` says.
public let processTimeScale: Double = {
    if let text = ProcessInfo.processInfo.environment["WORKBOOK_TIME_SCALE"], let value = Double(text), value > 0 {
        return value
    }
    if runsUnderThreadSanitizer { return 4 }
    if runsUnderAddressSanitizer { return 2 }
    return 1
}()
