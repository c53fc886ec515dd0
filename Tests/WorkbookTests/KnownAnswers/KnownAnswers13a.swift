import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import Synchronization
import WorkbookChecks

/// One way of getting 13a wrong: each differs from the solution in one place.
protocol MonitorMistake {
    static var countsEndInCallback: Bool { get }
    static var countsSubmittedAfter: Bool { get }
    static var takesBackRefused: Bool { get }
    static var runsTaskUnderLock: Bool { get }
    static var readsThenWrites: Bool { get }
    static var countsCancelled: Bool { get }
    static var decrementsRunningOnFailure: Bool { get }
}

extension MonitorMistake {
    static var countsEndInCallback: Bool { false }
    static var countsSubmittedAfter: Bool { false }
    static var takesBackRefused: Bool { true }
    static var runsTaskUnderLock: Bool { false }
    static var readsThenWrites: Bool { false }
    static var countsCancelled: Bool { true }
    static var decrementsRunningOnFailure: Bool { true }
}

enum CountsEndInCallback: MonitorMistake { static var countsEndInCallback: Bool { true } }
enum CountsSubmittedAfter: MonitorMistake { static var countsSubmittedAfter: Bool { true } }
enum KeepsRefused: MonitorMistake { static var takesBackRefused: Bool { false } }
enum RunsTaskUnderLock: MonitorMistake { static var runsTaskUnderLock: Bool { true } }
enum ReadsThenWrites: MonitorMistake { static var readsThenWrites: Bool { true } }
enum IgnoresCancelled: MonitorMistake { static var countsCancelled: Bool { false } }
enum LeavesFailedRunning: MonitorMistake { static var decrementsRunningOnFailure: Bool { false } }

/// One change of `state`: in one `withLock`, or (the mistake) read in one and written in another.
func change(_ state: LockedValue<PoolCounts>, readsThenWrites: Bool, _ body: @Sendable (inout PoolCounts) -> Void) {
    if readsThenWrites {
        var copy = state.withLock { $0 }
        body(&copy)
        state.withLock { $0 = copy }
    } else {
        state.withLock { body(&$0) }
    }
}

final class FaultyMonitor<Mistake: MonitorMistake>: MonitoredExecuting {
    private let base: any Executor
    private let state = LockedValue(PoolCounts())

    init(wrapping base: any Executor) { self.base = base }

    var counts: PoolCounts { state.withLock { $0 } }

    func submit<T: Sendable>(_ task: @escaping @Sendable () throws -> T) throws -> Future<T> {
        // The mistake's flags, read here: the closures below capture these, not the metatype.
        let (endInCallback, submittedAfter, takesBackRefused) = (Mistake.countsEndInCallback, Mistake.countsSubmittedAfter, Mistake.takesBackRefused)
        let (underLock, racy, countsCancelled, decrementsOnFailure) = (Mistake.runsTaskUnderLock, Mistake.readsThenWrites, Mistake.countsCancelled, Mistake.decrementsRunningOnFailure)
        let state = state
        if !submittedAfter { change(state, readsThenWrites: racy) { $0.submitted += 1 } }
        let future: Future<T>
        do {
            future = try base.submit { () throws -> T in
                if underLock {
                    return try state.withLock { counts in
                        counts.running += 1
                        defer { counts.running -= 1 }
                        do { let value = try task(); counts.completed += 1; return value } catch { counts.failed += 1; throw error }
                    }
                }
                change(state, readsThenWrites: racy) { $0.running += 1 }
                do {
                    let value = try task()
                    if !endInCallback { change(state, readsThenWrites: racy) { $0.running -= 1; $0.completed += 1 } }
                    return value
                } catch {
                    if !endInCallback {
                        change(state, readsThenWrites: racy) { counts in
                            if decrementsOnFailure { counts.running -= 1 }
                            counts.failed += 1
                        }
                    }
                    throw error
                }
            }
        } catch {
            if !submittedAfter && takesBackRefused { change(state, readsThenWrites: racy) { $0.submitted -= 1 } }
            throw error
        }
        if submittedAfter { change(state, readsThenWrites: racy) { $0.submitted += 1 } }
        future.addDoneCallback { future in
            if future.isCancelled {
                if countsCancelled { change(state, readsThenWrites: racy) { $0.cancelled += 1 } }
            } else if endInCallback {
                let failed = (try? future.exception()) != nil
                change(state, readsThenWrites: racy) { counts in
                    counts.running -= 1
                    if failed { counts.failed += 1 } else { counts.completed += 1 }
                }
            }
        }
        return future
    }

    func shutdown(wait: Bool, cancelFutures: Bool) { base.shutdown(wait: wait, cancelFutures: cancelFutures) }
}

/// Right, another way: a Mutex, `defer` for `running`, the end told apart with Result.
final class MutexMonitor: MonitoredExecuting {
    private let base: any Executor
    private let state = Mutex(PoolCounts())

    init(wrapping base: any Executor) { self.base = base }

    var counts: PoolCounts { state.withLock { $0 } }

    func submit<T: Sendable>(_ task: @escaping @Sendable () throws -> T) throws -> Future<T> {
        state.withLock { $0.submitted += 1 }
        let future: Future<T>
        do {
            future = try base.submit { [self] () throws -> T in
                state.withLock { $0.running += 1 }
                let outcome = Result { try task() }
                state.withLock { counts in
                    counts.running -= 1
                    switch outcome {
                    case .success: counts.completed += 1
                    case .failure: counts.failed += 1
                    }
                }
                return try outcome.get()
            }
        } catch {
            state.withLock { $0.submitted -= 1 }
            throw error
        }
        future.addDoneCallback { [self] future in
            guard future.isCancelled else { return }
            state.withLock { $0.cancelled += 1 }
        }
        return future
    }

    func shutdown(wait: Bool, cancelFutures: Bool) { base.shutdown(wait: wait, cancelFutures: cancelFutures) }
}

extension KnownAnswers {
    static let answers13a: [KnownAnswer] = [
        .wrong("13a", "counts completed and failed in a done-callback", caughtOn: .result,
            Check13a.prepare(.init(executorType: FaultyMonitor<CountsEndInCallback>.self), module: module)),
        .wrong("13a", "counts submitted after the base executor has taken the task", caughtOn: .result,
            Check13a.prepare(.init(executorType: FaultyMonitor<CountsSubmittedAfter>.self), module: module)),
        .wrong("13a", "keeps counting a task the base executor refused", caughtOn: .result,
            Check13a.prepare(.init(executorType: FaultyMonitor<KeepsRefused>.self), module: module)),
        .wrong("13a", "runs the task inside withLock", caughtOn: .concurrency,
            Check13a.prepare(.init(executorType: FaultyMonitor<RunsTaskUnderLock>.self), module: module)),
        .wrong("13a", "reads the counts in one withLock and writes them in another", caughtOn: .threadSafety,
            Check13a.prepare(.init(executorType: FaultyMonitor<ReadsThenWrites>.self), module: module)),
        .wrong("13a", "does not count cancelled tasks", caughtOn: .cancellation,
            Check13a.prepare(.init(executorType: FaultyMonitor<IgnoresCancelled>.self), module: module)),
        .wrong("13a", "leaves a failed task counted as running", caughtOn: .result,
            Check13a.prepare(.init(executorType: FaultyMonitor<LeavesFailedRunning>.self), module: module)),
        .right("13a", "a Mutex, Result for the task's end",
            Check13a.prepare(.init(executorType: MutexMonitor.self), module: module)),
    ]
}
