import ConcurrentFutures
import ExerciseKit
import Foundation
import WorkbookCourse

/// Runs the scenarios of a check, each on a thread of its own under a watchdog, and turns what
/// happened into `RunnerEvent`s: the same events whether the check runs in a runner process
/// (for the `workbook` tool) or inside `swift test`.
public enum CheckHarness {
    /// Runs every scenario in turn; `emit` hears each event as it happens. Stops after a
    /// scenario the watchdog had to stop: its threads may still be stuck.
    ///
    /// - Parameters:
    ///   - sourceText: the source file under test, for scenarios that read it.
    ///   - stopAtFirstProblem: stop after the first scenario that does not pass (the one whose
    ///     details a learner reads first); the integrity tests use it to save time.
    ///   - style: how to draw the compact timeline under a failure of a concurrency property
    ///     (colours, width).
    ///   - recorded: hears what each scenario saw (its index and recording), for its timeline.
    public static func run(
        _ check: PreparedCheck,
        sourceText: String?,
        timeScale: Double = processTimeScale,
        stopAtFirstProblem: Bool = false,
        style: TextStyle = .timeline,
        recorded: (Int, ScenarioRecording) -> Void = { _, _ in },
        emit: (RunnerEvent) -> Void = { _ in }
    ) -> [RunnerEvent] {
        emit(RunnerEvent(kind: .begin, exercise: check.exerciseID, scenarios: check.scenarios.map(\.name)))
        var results: [RunnerEvent] = []
        for (index, scenario) in check.scenarios.enumerated() {
            emit(RunnerEvent(kind: .start, index: index))
            let context = CheckContext(exerciseID: check.exerciseID, sourceText: sourceText, timeScale: timeScale)
            let (result, recording) = runScenario(scenario, index: index, context: context, module: check.module, style: style)
            recorded(index, recording)
            results.append(result)
            emit(result)
            if result.status == .timedOut || (stopAtFirstProblem && result.status != .passed) { break }
        }
        emit(RunnerEvent(kind: .end))
        return results
    }

    /// The same, for async callers (tests): the waiting happens on a thread of its own, not on
    /// one of the few threads that run Swift's tasks.
    public static func run(
        _ check: PreparedCheck, sourceText: String?, timeScale: Double = processTimeScale, stopAtFirstProblem: Bool = false
    ) async -> [RunnerEvent] {
        await runRecording(check, sourceText: sourceText, timeScale: timeScale, stopAtFirstProblem: stopAtFirstProblem).events
    }

    /// `run` for async callers, with what every scenario saw, by index.
    public static func runRecording(
        _ check: PreparedCheck, sourceText: String?, timeScale: Double = processTimeScale, stopAtFirstProblem: Bool = false
    ) async -> (events: [RunnerEvent], recordings: [Int: ScenarioRecording]) {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                var recordings: [Int: ScenarioRecording] = [:]
                let events = run(check, sourceText: sourceText, timeScale: timeScale, stopAtFirstProblem: stopAtFirstProblem,
                                 recorded: { recordings[$0] = $1 })
                continuation.resume(returning: (events, recordings))
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    static func runScenario(
        _ scenario: Scenario, index: Int, context: CheckContext, module: String, style: TextStyle
    ) -> (RunnerEvent, ScenarioRecording) {
        let markersBefore = UnfinishedMarkers.count
        let outcome = LockedValue<Result<Void, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        // Signalled when the scenario's code really begins. An async scenario is a Task, which
        // needs one of Swift's few cooperative threads; while other code blocks them (other
        // tests, under `swift test`), the Task waits to be scheduled, and that wait is not the
        // implementation's fault, so the time limit counts from here.
        let begun = DispatchSemaphore(value: 0)
        var started = ContinuousClock.now

        switch scenario.body {
        case .blocking(let body):
            let thread = Thread {
                context.scenarioStarted(isAsync: false)
                begun.signal()
                let result = Result { try body(context) }
                outcome.withLock { $0 = result }
                finished.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        case .async(let body):
            Task.detached {
                context.scenarioStarted(isAsync: true)
                begun.signal()
                let result: Result<Void, any Error>
                do { try await body(context); result = .success(()) } catch { result = .failure(error) }
                outcome.withLock { $0 = result }
                finished.signal()
            }
        }

        let limit = scenario.timeLimit * context.timeScale
        // A scenario that has not even begun after a minute will not: report it like a hang.
        if begun.wait(timeout: .now() + max(60, limit)) == .success { started = .now }
        let seconds = { (ContinuousClock.now - started).seconds }
        if finished.wait(timeout: .now() + limit) == .timedOut {
            let stoppedAfter = seconds()
            let recording = context.recording
            let explanation = explainAndCleanUp(context, after: stoppedAfter)
            return (RunnerEvent(
                kind: .result, index: index, status: .timedOut, property: .timeLimit,
                message: "did not finish within \(String(format: "%.0f", limit)) s: stopped by the watchdog",
                advice: "The usual causes: a task that waits for another task of the same full pool, a lock "
                    + "taken twice by one thread, a wait without a time-out, a loop that never ends.",
                explanation: explanation, seconds: stoppedAfter), recording)
        }
        // Before cleaning up, which cancels what is still queued: those cancellations are the
        // check's, not the code's.
        let recording = context.recording
        cleanUp(context)
        let markers = UnfinishedMarkers.reached(since: markersBefore, inModule: module)
        let result = outcome.withLock { $0 } ?? .success(())
        var event = classify(result, markers: markers, index: index, seconds: seconds())
        if event.status == .failed, let property = event.property {
            event.timeline = FailureTimeline.lines(for: property, recording: recording, width: style.width, color: style.colors)
        }
        return (event, recording)
    }

    /// Cleans up after a scenario on a thread of its own, waiting for it a little at most.
    ///
    /// Cleaning up cancels what the implementation left queued, and cancelling runs its
    /// done-callbacks, which are the implementation's code: they may block forever (on a lock
    /// that a stuck worker holds, say). Only the helper thread may get stuck then.
    static func cleanUp(_ context: CheckContext) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            context.cleanUp()
            done.signal()
        }
        thread.start()
        _ = done.wait(timeout: .now() + 2 * context.timeScale)
    }

    /// After a time-out: what the threads were doing, then the clean-up, both on a helper
    /// thread, so that the watchdog itself never waits for the stuck code.
    static func explainAndCleanUp(_ context: CheckContext, after seconds: Double) -> String {
        let explanation = LockedValue<String?>(nil)
        let explained = DispatchSemaphore(value: 0)
        let thread = Thread {
            explanation.withLock { $0 = context.explainStuck(after: seconds) }
            explained.signal()
            context.cleanUp()
        }
        thread.start()
        _ = explained.wait(timeout: .now() + 2)
        return explanation.withLock { $0 }
            ?? "Stopped after \(String(format: "%.1f", seconds)) s. (What the threads were doing could not be read in time.)"
    }

    static func classify(_ result: Result<Void, any Error>, markers: [Unfinished], index: Int, seconds: Double) -> RunnerEvent {
        var unfinished = markers.first
        if case .failure(let error as Unfinished) = result { unfinished = error }
        if let unfinished {
            return RunnerEvent(
                kind: .result, index: index, status: .unfinished, property: .unfinished,
                message: "\(sourceLocation(unfinished)) still says: todo(\"\(unfinished.message)\")",
                advice: "Replace that `todo(...)` call with your code.", seconds: seconds)
        }
        switch result {
        case .success:
            return RunnerEvent(kind: .result, index: index, status: .passed, seconds: seconds)
        case .failure(let failure as CheckFailure):
            return RunnerEvent(
                kind: .result, index: index, status: .failed, property: failure.property, message: failure.message,
                expected: failure.expected, actual: failure.actual, advice: failure.advice, seconds: seconds)
        case .failure(let error as DeadlockError):
            return RunnerEvent(
                kind: .result, index: index, status: .failed, property: .deadlock,
                message: "the pool's deadlock detector stopped your code: \(error.message)",
                advice: "A task that waits (result(), wait, asCompleted) for another task of the same pool "
                    + "holds a worker while it waits. When every worker does that, nothing can run. Lesson 12.",
                seconds: seconds)
        case .failure(let error as PlantedError):
            return RunnerEvent(
                kind: .result, index: index, status: .failed, property: .errors,
                message: "your code threw \(error): one of the check's inputs threw it on purpose, and in this "
                    + "scenario it must not come out of your function",
                advice: "Read again what the exercise says to do with the inputs' errors (skip, report, keep with "
                    + "their input).",
                seconds: seconds)
        case .failure(let error):
            return RunnerEvent(
                kind: .result, index: index, status: .failed, property: .unexpectedError,
                message: "your code threw an error the check did not expect: \(error) (\(type(of: error)))",
                advice: "Look at where your code throws it, or lets it through: a call to the pool, a wait, a conversion.",
                seconds: seconds)
        }
    }

    /// "Exercises/05a-first-good-answer/FirstGoodAnswer.swift:23" for a marker's "Exercise05a/FirstGoodAnswer.swift".
    static func sourceLocation(_ marker: Unfinished) -> String {
        let module = String(marker.fileID.prefix { $0 != "/" })
        if let exercise = Course.exercises.first(where: { $0.module == module }) {
            return "\(exercise.exercisePath):\(marker.line)"
        }
        return "\(marker.fileID):\(marker.line)"
    }
}
