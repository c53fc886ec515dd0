import Foundation
import Testing
import Synchronization
@testable import ConcurrentFutures

@Suite("await future.value")
struct AsyncTests {
    @Test func awaitsTheValue() async throws {
        let pool = try ThreadPoolExecutor(maxWorkers: 2)
        defer { pool.shutdown() }
        let future = try pool.submit { usleep(5000); return 42 }
        #expect(try await future.value == 42)
        #expect(try await future.value == 42, "a done future answers at once")
    }

    @Test func rethrowsTheTasksError() async throws {
        let pool = try ThreadPoolExecutor(maxWorkers: 1)
        defer { pool.shutdown() }
        let future = try pool.submit { () throws -> Int in usleep(2000); throw TestError(11) }
        await #expect(throws: TestError(11)) { try await future.value }
    }

    @Test func cancelledFutureThrowsCancelledError() async throws {
        let future = Future<Int>()
        let waiter = Task { try await future.value }
        try await Task.sleep(for: .milliseconds(10))
        future.cancel()
        await #expect(throws: CancelledError.self) { try await waiter.value }
    }

    @Test func cancellingTheAwaitingTaskStopsWaitingButLeavesTheFuture() async throws {
        let future = Future<Int>()
        let waiter = Task { try await future.value }
        try await Task.sleep(for: .milliseconds(10))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(!future.isDone, "the future itself is not cancelled")
        try future.setResult(5)
        #expect(try await future.value == 5)
    }

    @Test func manyAwaitersOfOneFuture() async throws {
        let future = Future<Int>()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<50 { group.addTask { try await future.value } }
            try await Task.sleep(for: .milliseconds(5))
            try future.setResult(3)
            var sum = 0
            for try await value in group { sum += value }
            #expect(sum == 150)
        }
    }

    @Test func asyncScopedPool() async throws {
        let value = try await withThreadPool(maxWorkers: 2) { pool in
            try await pool.submit { 8 }.value
        }
        #expect(value == 8)
    }
}

/// A generic async helper that passes its caller's isolation on, like the ones lessons write.
private func timed<T>(isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T) async rethrows -> T {
    try await body()
}

@Suite("withThreadPool in async code")
struct AsyncScopedPoolTests {
    @Test @MainActor func usableInsideAnotherAsyncHelperOnTheMainActor() async throws {
        var log: [String] = []  // non-Sendable state of the caller
        let value = try await timed {
            try await withThreadPool(maxWorkers: 2) { pool in
                log.append("inside")
                return try await pool.submit { 21 * 2 }.value
            }
        }
        #expect(value == 42 && log == ["inside"])
    }
}
