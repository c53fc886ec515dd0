import ConcurrentFutures
import ExerciseKit
import Foundation
import Solutions
import WorkbookChecks

/// One way of getting 10a wrong: each differs from the solution in one place.
protocol ServiceMistake {
    static var namesThreads: Bool { get }
    static var warmsUpPerJob: Bool { get }
    static var submitWaits: Bool { get }
    static var mapsShutdown: Bool { get }
    static var mapsBroken: Bool { get }
    static var closeWaits: Bool { get }
    static var abortCancels: Bool { get }
    static var abortWaits: Bool { get }
}

extension ServiceMistake {
    static var namesThreads: Bool { true }
    static var warmsUpPerJob: Bool { false }
    static var submitWaits: Bool { false }
    static var mapsShutdown: Bool { true }
    static var mapsBroken: Bool { true }
    static var closeWaits: Bool { true }
    static var abortCancels: Bool { true }
    static var abortWaits: Bool { true }
}

enum CloseDoesNotWait: ServiceMistake { static var closeWaits: Bool { false } }
enum AbortIsClose: ServiceMistake { static var abortCancels: Bool { false } }
enum AbortDoesNotWait: ServiceMistake { static var abortWaits: Bool { false } }
enum UnnamedThreads: ServiceMistake { static var namesThreads: Bool { false } }
enum WarmsUpEveryJob: ServiceMistake { static var warmsUpPerJob: Bool { true } }
enum ShutdownErrorLeaks: ServiceMistake { static var mapsShutdown: Bool { false } }
enum BrokenPoolLeaks: ServiceMistake { static var mapsBroken: Bool { false } }
enum SubmitWaits: ServiceMistake { static var submitWaits: Bool { true } }

final class FaultyService<Mistake: ServiceMistake>: ResizeServing {
    private let pool: ThreadPoolExecutor
    private let resize: @Sendable (Int) throws -> Int

    init(name: String, maxWorkers: Int, warmUp: @escaping @Sendable () throws -> Void, resize: @escaping @Sendable (Int) throws -> Int) throws {
        if Mistake.warmsUpPerJob {
            self.resize = { @Sendable image in
                try warmUp()
                return try resize(image)
            }
        } else {
            self.resize = resize
        }
        pool = try ThreadPoolExecutor(
            maxWorkers: maxWorkers, threadNamePrefix: Mistake.namesThreads ? name : "",
            initializer: Mistake.warmsUpPerJob ? nil : warmUp)
    }

    func submit(_ image: Int) throws -> Future<Int> {
        do {
            let future = try pool.submit { [resize] in try resize(image) }
            if Mistake.submitWaits { _ = try? future.result() }
            return future
        } catch is ShutdownError where Mistake.mapsShutdown {
            throw ServiceUnavailable.closed
        } catch let broken as BrokenThreadPool where Mistake.mapsBroken {
            throw ServiceUnavailable.broken(broken.underlyingError ?? broken)
        }
    }

    func close() { pool.shutdown(wait: Mistake.closeWaits) }
    func abort() { pool.shutdown(wait: Mistake.abortWaits, cancelFutures: Mistake.abortCancels) }
}

/// Right, another way: the service keeps its own "closed" state, set before the pool is shut
/// down, and submits under a lock so that no job slips in after close has begun.
final class StatefulService: ResizeServing {
    private let pool: ThreadPoolExecutor
    private let resize: @Sendable (Int) throws -> Int
    private let closed = LockedValue(false)

    init(name: String, maxWorkers: Int, warmUp: @escaping @Sendable () throws -> Void, resize: @escaping @Sendable (Int) throws -> Int) throws {
        self.resize = resize
        pool = try ThreadPoolExecutor(maxWorkers: maxWorkers, threadNamePrefix: name, initializer: warmUp)
    }

    func submit(_ image: Int) throws -> Future<Int> {
        try closed.withLock { closed in
            if closed { throw ServiceUnavailable.closed }
            do {
                return try pool.submit { [resize] in try resize(image) }
            } catch let broken as BrokenThreadPool {
                throw ServiceUnavailable.broken(broken.underlyingError ?? broken)
            }
        }
    }

    func close() { stop(cancelling: false) }
    func abort() { stop(cancelling: true) }

    private func stop(cancelling: Bool) {
        closed.withLock { $0 = true }
        pool.shutdown(wait: true, cancelFutures: cancelling)
    }
}

extension KnownAnswers {
    static let answers10a: [KnownAnswer] = [
        .wrong("10a", "close does not wait (shutdown(wait: false))", caughtOn: .shutdown,
            Check10a.prepare(.init(serviceType: FaultyService<CloseDoesNotWait>.self), module: module)),
        .wrong("10a", "abort does what close does: the queued jobs still run", caughtOn: .cancellation,
            Check10a.prepare(.init(serviceType: FaultyService<AbortIsClose>.self), module: module)),
        .wrong("10a", "abort cancels the queue but does not wait for the running job", caughtOn: .shutdown,
            Check10a.prepare(.init(serviceType: FaultyService<AbortDoesNotWait>.self), module: module)),
        .wrong("10a", "the pool's threads are not named after the service", caughtOn: .pool,
            Check10a.prepare(.init(serviceType: FaultyService<UnnamedThreads>.self), module: module)),
        .wrong("10a", "warms up before every job instead of once per thread", caughtOn: .result,
            Check10a.prepare(.init(serviceType: FaultyService<WarmsUpEveryJob>.self), module: module)),
        .wrong("10a", "lets the pool's ShutdownError out of submit", caughtOn: .errors,
            Check10a.prepare(.init(serviceType: FaultyService<ShutdownErrorLeaks>.self), module: module)),
        .wrong("10a", "lets BrokenThreadPool out of submit", caughtOn: .errors,
            Check10a.prepare(.init(serviceType: FaultyService<BrokenPoolLeaks>.self), module: module)),
        .wrong("10a", "submit waits for the job before returning its future", caughtOn: .promptness,
            Check10a.prepare(.init(serviceType: FaultyService<SubmitWaits>.self), module: module)),
        .right("10a", "a closed flag of its own, set before the pool is shut down",
            Check10a.prepare(.init(serviceType: StatefulService.self), module: module)),
    ]
}
