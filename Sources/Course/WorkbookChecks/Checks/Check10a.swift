import ConcurrentFutures
import ExerciseKit
import Foundation
import SystemPlatform

/// 10a A service that owns its pool: named threads, warm-up once per thread, close waits and
/// frees the threads, abort cancels the queue, errors mapped.
public enum Check10a: ExerciseCheck {
    public struct Implementation: Sendable {
        public var serviceType: any ResizeServing.Type
        public init(serviceType: any ResizeServing.Type) { self.serviceType = serviceType }
    }

    public static let exerciseID = "10a"
    /// The jobs on the service's own workers.
    public static let timeline = TimelineChoice.scenario(1)

    /// Runs `body` on a thread of its own and records in `log` when it starts and ends; returns
    /// the thread's id once it has started.
    static func inBackground(_ log: EventLog, _ name: String, _ body: @escaping @Sendable () -> Void) -> UInt64 {
        let id = LockedValue<UInt64?>(nil)
        let started = DispatchSemaphore(value: 0)
        let thread = Thread {
            id.withLock { $0 = currentThreadID() }
            started.signal()
            log.record("\(name) called")
            body()
            log.record("\(name) returned")
        }
        thread.start()
        started.wait()
        return id.withLock { $0 }!
    }

    /// Calls close or abort on a thread of its own while its jobs are held, and lets them go
    /// once that thread is waiting (or has returned, if it does not wait): whether it returned
    /// before the jobs were let go is then no matter of timing. Meanwhile a submit must be
    /// refused with `ServiceUnavailable.closed`.
    static func shutDownWhileHeld(
        _ ctx: CheckContext, _ service: any ResizeServing, _ held: Gate, _ name: String, _ call: @escaping @Sendable () -> Void
    ) throws -> EventLog {
        let log = EventLog()
        let thread = inBackground(log, name, call)
        let waiting = DispatchSemaphore(value: 0)
        ctx.whenThreadWaits(thread, timeout: 3) { waiting.signal() }
        ctx.step("waiting for \(name)() to start waiting for the running jobs") { waiting.wait() }
        let submitDuring = Result { try service.submit(99) }
        log.record("jobs released")
        held.open()
        let returned = ctx.step("waiting for \(name)() to return") { ctx.eventually(timeout: 4) { log.contains("\(name) returned") } }
        try require(returned, .shutdown, "\(name)() did not return after its jobs had finished")
        try require((log.position(of: "\(name) returned") ?? 0) > (log.position(of: "jobs released") ?? 0), .shutdown,
            "\(name)() returned while a job it had accepted was still running",
            advice: "`shutdown(wait: true)` returns once the running jobs have finished and the threads have exited.")
        switch submitDuring {
        case .success:
            throw CheckFailure(.shutdown, "a job submitted while \(name)() was waiting for the running ones was accepted",
                advice: "\(name)() stops taking jobs at once: the pool's `shutdown` refuses new work as soon as it is called.")
        case .failure(let error):
            guard case ServiceUnavailable.closed = error else {
                throw CheckFailure(.errors, "a submit while \(name)() was waiting threw the wrong error",
                    expected: "ServiceUnavailable.closed", actual: "\(show(error)) (\(type(of: error)))",
                    advice: "Catch the pool's `ShutdownError` in submit and throw `ServiceUnavailable.closed` instead.")
            }
        }
        return log
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("submit returns the future at once, before the job has run") { ctx in
                let held = ctx.gate("the job is held until submit has returned")
                let service = try impl.serviceType.init(name: ctx.uniqueName("svc"), maxWorkers: 1, warmUp: {}, resize: { image in
                    held.wait()
                    return image * 10
                })
                let future = try ctx.step("submitting a job that is held") { try service.submit(4) }
                let doneAtOnce = future.isDone
                held.open()
                try require(!held.timedOut && !doneAtOnce, .promptness,
                    "submit waited for the job to finish before it returned the future",
                    advice: "Return the future that `pool.submit` gives, without waiting on it.")
                try requireEqual(try future.result(timeout: ctx.seconds(2)), 40, .result, "the job's result is wrong")
                ctx.step("calling close()") { service.close() }
            },
            Scenario("runs jobs on threads named after the service, several at once, at most maxWorkers") { ctx in
                let name = ctx.uniqueName("svc")
                let witness = ThreadWitness()
                let probe = ConcurrencyProbe()
                let overlap = ctx.rendezvous("two jobs running at the same time")
                let service = try ctx.step("creating ResizeService(name: \"\(name)\", maxWorkers: 2)") {
                    try impl.serviceType.init(name: name, maxWorkers: 2, warmUp: {}, resize: { image in
                        // The service's pool is its own: the timeline sees the jobs, not its tasks.
                        ctx.recordWork("i\(image)") {
                            probe.measure {
                                witness.note()
                                overlap.arrive()
                                return image * 2
                            }
                        }
                    })
                }
                let futures = try ctx.step("submitting 6 jobs") { try (1...6).map { try service.submit($0) } }
                let results = try futures.map { try $0.result() }
                ctx.step("calling close()") { service.close() }
                let names = witness.workerNames
                try require(!names.isEmpty && names.allSatisfy { $0.hasPrefix(name + "_") } && !witness.sawNonWorker, .pool,
                    "the jobs did not run on threads named after the service",
                    expected: "\(name)_0, \(name)_1", actual: witness.sawNonWorker ? "a thread that is not a pool worker" : names.joined(separator: ", "),
                    advice: "Give the pool `threadNamePrefix: name`.")
                try requireEqual(results, (1...6).map { $0 * 2 }, .result, "the jobs' results are wrong")
                try require(overlap.met, .concurrency, "the jobs ran one at a time")
                try require(probe.peak <= 2 && witness.threadIDs.count <= 2, .limit, "more threads ran jobs than maxWorkers allows",
                    expected: "at most 2", actual: "\(probe.peak) at once, on \(witness.threadIDs.count) threads")
            },
            Scenario("warms each worker up once, before its first job") { ctx in
                let warmed = LockedValue([UInt64: Int]())
                let coldJobs = LockedValue(0)
                let service = try impl.serviceType.init(name: ctx.uniqueName("svc"), maxWorkers: 3, warmUp: {
                    warmed.withLock { $0[currentThreadID(), default: 0] += 1 }
                }, resize: { image in
                    if warmed.withLock({ $0[currentThreadID()] == nil }) { coldJobs.withLock { $0 += 1 } }
                    return image
                })
                let futures = try ctx.step("submitting 12 jobs to a service of 3 workers") { try (1...12).map { try service.submit($0) } }
                _ = try futures.map { try $0.result() }
                ctx.step("calling close()") { service.close() }
                let counts = warmed.withLock { $0 }
                try require(!counts.isEmpty && counts.count <= 3 && counts.values.allSatisfy { $0 == 1 }, .result,
                    "warmUp must run exactly once on each worker thread (at most 3 of them)",
                    expected: "once per thread, on at most 3 threads", actual: counts.values.map(String.init).joined(separator: ", ") + " calls on \(counts.count) threads",
                    advice: "Pass warmUp as the pool's `initializer`: the pool runs it once per new thread.")
                try requireEqual(coldJobs.withLock { $0 }, 0, .result, "some jobs ran on a thread that had not been warmed up")
            },
            Scenario("close waits for the accepted jobs, frees the threads, then refuses work", timeLimit: 12) { ctx in
                let held = ctx.gate("the jobs are held until close is waiting for them", timeout: 4)
                let witness = ThreadWitness()
                let service = try impl.serviceType.init(name: ctx.uniqueName("svc"), maxWorkers: 2, warmUp: {}, resize: { image in
                    witness.note()
                    held.wait()
                    return image + 1
                })
                let futures = try (1...4).map { try service.submit($0) }
                _ = try shutDownWhileHeld(ctx, service, held, "close") { service.close() }
                let outcomes = futures.map { future in Result { try future.result(timeout: .seconds(1)) } }
                try require(outcomes.allSatisfy { (try? $0.get()) != nil }, .shutdown,
                    "some jobs accepted before close() did not finish with their result",
                    expected: "2, 3, 4, 5", actual: outcomes.map { (try? $0.get()).map(String.init) ?? "an error" }.joined(separator: ", "),
                    advice: "close() must not cancel anything: `shutdown(wait: true)` with `cancelFutures: false`.")
                try require(witness.stillAlive.isEmpty, .shutdown,
                    "the pool's threads were still alive after close() returned",
                    advice: "`shutdown(wait: true)` returns once the worker threads have exited.")
                let error = try requireThrows(.shutdown, "submit after close() was accepted") { try service.submit(9) }
                guard case ServiceUnavailable.closed = error else {
                    throw CheckFailure(.errors, "submit after close() threw the wrong error",
                        expected: "ServiceUnavailable.closed", actual: "\(show(error)) (\(type(of: error)))",
                        advice: "Catch the pool's `ShutdownError` and throw `ServiceUnavailable.closed` instead.")
                }
                ctx.step("calling close() a second time, then abort()") {
                    service.close()
                    service.abort()
                }
            },
            Scenario("abort cancels the jobs that have not started, waits for the running one, and frees the threads", timeLimit: 12) { ctx in
                let held = ctx.gate("the first job is held until abort is waiting for it", timeout: 4)
                let ran = EventLog()
                let witness = ThreadWitness()
                let service = try impl.serviceType.init(name: ctx.uniqueName("svc"), maxWorkers: 1, warmUp: {}, resize: { image in
                    witness.note()
                    ran.record("\(image)")
                    if image == 0 { held.wait() }
                    return image
                })
                let futures = try (0...3).map { try service.submit($0) }
                _ = ctx.eventually { ran.contains("0") }
                _ = try shutDownWhileHeld(ctx, service, held, "abort") { service.abort() }
                try requireEqual(try futures[0].result(timeout: .seconds(1)), 0, .shutdown, "the running job must finish normally")
                let cancelled = futures.dropFirst().map(\.isCancelled)
                try require(cancelled.allSatisfy { $0 } && ran.all == ["0"], .cancellation,
                    "abort() must cancel the 3 queued jobs: they must never run",
                    expected: "jobs 1, 2, 3 cancelled", actual: "ran: \(ran.all.joined(separator: ", "))",
                    advice: "`shutdown(wait: true, cancelFutures: true)`.")
                try require(witness.stillAlive.isEmpty, .shutdown,
                    "the pool's threads were still alive after abort() returned",
                    advice: "abort() waits too: `shutdown(wait: true, cancelFutures: true)`.")
                let error = try requireThrows(.shutdown, "submit after abort() was accepted") { try service.submit(9) }
                guard case ServiceUnavailable.closed = error else {
                    throw CheckFailure(.errors, "submit after abort() threw the wrong error",
                        expected: "ServiceUnavailable.closed", actual: "\(show(error)) (\(type(of: error)))")
                }
                ctx.step("calling abort() a second time, then close()") {
                    service.abort()
                    service.close()
                }
            },
            Scenario("a failing warm-up breaks the service: submit says why") { ctx in
                let service = try impl.serviceType.init(name: ctx.uniqueName("svc"), maxWorkers: 1, warmUp: {
                    throw PlantedError("the model file is missing")
                }, resize: { $0 })
                let first = try ctx.step("submitting a job to a service whose warm-up fails") { try service.submit(1) }
                _ = try? first.result(timeout: ctx.seconds(2))
                let error = try requireThrows(.errors, "submit on a broken service was accepted") { try service.submit(2) }
                guard case ServiceUnavailable.broken(let cause) = error else {
                    throw CheckFailure(.errors, "submit on a broken service threw the wrong error",
                        expected: "ServiceUnavailable.broken(PlantedError(the model file is missing))", actual: show(error),
                        advice: "Catch `BrokenThreadPool` and throw `ServiceUnavailable.broken(broken.underlyingError ?? broken)`.")
                }
                try require(isPlanted(cause, "the model file is missing"), .errors,
                    "ServiceUnavailable.broken must carry the warm-up's own error",
                    expected: "PlantedError(the model file is missing)", actual: show(cause))
                ctx.step("calling close() on the broken service") { service.close() }
            },
        ]
    }
}
