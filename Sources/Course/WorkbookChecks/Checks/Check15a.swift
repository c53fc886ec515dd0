import ConcurrentFutures
import Foundation

/// 15a An async API over a pool: results and errors, never blocks a cooperative thread,
/// cancelling the caller cancels the queued job.
public enum Check15a: ExerciseCheck {
    public typealias Render = @Sendable (Int) throws -> String
    public struct Implementation: Sendable {
        public var renderAsync: @Sendable (Int, ThreadPoolExecutor, @escaping Render) async throws -> String
        public init(renderAsync: @escaping @Sendable (Int, ThreadPoolExecutor, @escaping Render) async throws -> String) {
            self.renderAsync = renderAsync
        }
    }

    public static let exerciseID = "15a"

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("returns the rendered page, or throws the render's error", async: { ctx in
                let pool = try ctx.pool(maxWorkers: 2)
                let witness = ThreadWitness()
                let page = try await ctx.step("awaiting renderAsync(3)") {
                    try await impl.renderAsync(3, pool) { page in
                        ctx.labelTask("p\(page)")
                        witness.note()
                        return "page \(page)"
                    }
                }
                try requireRanOnPool(witness, pool, "the render",
                    advice: "Submit the render to `pool` (`pool.submit { try render(page) }`) and await its future: rendering in the async function itself occupies one of the few threads that run every task.")
                try requireEqual(page, "page 3", .result, "renderAsync returned the wrong text")
                let planted = PlantedError("page 4 is blank")
                do {
                    _ = try await ctx.step("awaiting renderAsync(4) where the render throws") {
                        try await impl.renderAsync(4, pool) { _ in throw planted }
                    }
                    throw CheckFailure(.errors, "renderAsync returned although the render threw")
                } catch let failure as CheckFailure {
                    throw failure
                } catch {
                    try require(isPlanted(error, planted), .errors, "renderAsync threw a different error",
                        expected: "\(planted)", actual: "\(show(error)) (\(type(of: error)))")
                }
                ctx.shutDown(pool)
            }),
            Scenario("waits without blocking: many callers at once are all served", timeLimit: 10, async: { ctx in
                // Async tasks share as many threads as there are cores. If renderAsync blocked
                // its thread, only that many calls could be under way at once.
                let callers = 4 * ProcessInfo.processInfo.activeProcessorCount + 2
                let pool = try ctx.pool(maxWorkers: callers)
                let allAtOnce = ctx.rendezvous("all \(callers) renders under way at once", parties: callers, timeout: 3)
                // Once every render is under way, they wait for one more Task to run: it can only
                // if the waiting callers left their threads free.
                let heartbeat = ctx.gate("the renders finish once another Task has had a thread to run on", timeout: 3)
                let heartbeatStarted = LockedValue(false)
                let pages = try await ctx.step("awaiting renderAsync from \(callers) tasks at once") {
                    try await withThrowingTaskGroup(of: String.self) { group in
                        for page in 0..<callers {
                            group.addTask {
                                try await impl.renderAsync(page, pool) { page in
                                    allAtOnce.arrive()
                                    if heartbeatStarted.withLock({ started in defer { started = true }; return !started }) {
                                        Task.detached { heartbeat.open() }
                                    }
                                    heartbeat.wait()
                                    return "page \(page)"
                                }
                            }
                        }
                        var pages: [String] = []
                        for try await page in group { pages.append(page) }
                        return pages
                    }
                }
                try requireEqual(pages.sorted(), (0..<callers).map { "page \($0)" }.sorted(), .result, "some pages are missing or wrong")
                try require(allAtOnce.met, .promptness,
                    "the \(callers) calls could not all be under way at once: renderAsync blocks the thread it runs on while it waits",
                    advice: "Never call `result()` in async code: `try await future.value` suspends instead of blocking.")
                try require(!heartbeat.timedOut, .promptness,
                    "while the \(callers) calls waited, no other Task could run for \(Int(3 * ctx.timeScale)) s: the waits block the few threads that every Task shares (a detached Task is no exception)",
                    advice: "Never call `result()` in async code, not even in a Task of its own: `try await future.value` suspends instead of blocking.")
                ctx.shutDown(pool)
            }),
            Scenario("cancelling the caller cancels the job that has not started", timeLimit: 8, async: { ctx in
                let pool = try ctx.pool(maxWorkers: 1)
                let held = ctx.gate("the pool's only worker is busy until the caller has been cancelled")
                let blocker = try pool.submit { held.wait() }
                let rendered = EventLog()
                let caller = Task {
                    try await impl.renderAsync(7, pool) { page in
                        rendered.record("\(page)")
                        return "page \(page)"
                    }
                }
                _ = await ctx.eventually { pool.statistics.submitted >= 2 }
                caller.cancel()
                let outcome = await ctx.step("cancelling the Task that awaits renderAsync(7) while its job is queued") {
                    await caller.result
                }
                let endedBeforeRelease = !held.isOpened
                held.open()
                _ = try? blocker.result()
                ctx.shutDown(pool)
                switch outcome {
                case .success(let page):
                    throw CheckFailure(.cancellation, "renderAsync returned \(show(page)) although its Task was cancelled while the job was queued",
                        advice: "`try await future.value` ends when the Task is cancelled; blocking calls do not notice.")
                case .failure(let error):
                    try require(error is CancellationError || error is CancelledError, .cancellation,
                        "renderAsync ended with the wrong error when its Task was cancelled",
                        expected: "CancellationError (or CancelledError)", actual: show(error))
                }
                try require(endedBeforeRelease, .promptness, "renderAsync did not end when its Task was cancelled: it waited for the job")
                try require(!rendered.contains("7"), .cancellation,
                    "the job still ran after its caller had been cancelled",
                    advice: "Wrap the await in `withTaskCancellationHandler { ... } onCancel: { future.cancel() }`.")
            }),
        ]
    }
}
