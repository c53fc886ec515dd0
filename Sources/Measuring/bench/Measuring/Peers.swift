import ConcurrentFutures
import Dispatch

// What the peer programs share: the trivial task, a place for GCD tasks to put their results,
// GCD's stand-in for `asCompleted`, and a way to run a task group from synchronous code.

/// The trivial task of the throughput suites: a little arithmetic, so that what is measured is
/// the cost of getting a task to a thread and its result back. `@inline(never)` keeps the
/// optimizer from folding the work into the loop that submits it.
@inline(never)
func trivialWork(_ i: Int) -> Int { i &* 2 &+ 1 }

/// The sum of `trivialWork(i)` for `i` in `0..<n`: every program checks that it got every
/// result back. (The sum of the first n odd numbers is n².)
func expectedSum(_ n: Int) -> Int { n &* n }

/// A failed self-check: a program lost or corrupted results.
struct WrongResult: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Checks a program's total against `expectedSum`.
func verify(sum: Int, tasks: Int) throws {
    guard sum == expectedSum(tasks) else {
        throw WrongResult("results add up to \(sum), expected \(expectedSum(tasks)) for \(tasks) tasks")
    }
}

/// Memory for `count` integers that tasks on other threads fill in, one slot per task: how GCD
/// code returns results, since `DispatchQueue.async` has no future.
///
/// `@unchecked Sendable`: slots are plain memory with no lock. That is safe because each slot
/// is written by exactly one task, and read only after `DispatchGroup.wait()` (or
/// `concurrentPerform`) returned, which orders every task's writes before the reads.
final class ResultSlots: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Int>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: 0)
    }

    deinit { slots.deallocate() }

    subscript(index: Int) -> Int {
        get { slots[index] }
        set { slots[index] = newValue }
    }

    /// The sum of every slot (call after the tasks are done).
    var sum: Int { slots.reduce(0, &+) }
}

/// GCD's stand-in for `asCompleted` and `wait(.firstCompleted)`: finished tasks post their
/// index; the consumer takes them in finishing order, sleeping on a semaphore while none is
/// ready. This is what you would write by hand with GCD.
final class CompletionChannel: Sendable {
    private let finished = LockedValue<[Int]>([])
    private let taken = LockedValue(0)
    private let ready = DispatchSemaphore(value: 0)

    init(capacity: Int) {
        finished.withLock { $0.reserveCapacity(capacity) }
    }

    /// Called by a task when it is done.
    func post(_ index: Int) {
        finished.withLock { $0.append(index) }
        ready.signal()
    }

    /// The index of the next task to finish; waits for it if none is ready. One consumer only.
    func next() -> Int {
        ready.wait()
        let position = taken.withLock { position in
            defer { position += 1 }
            return position
        }
        return finished.withLock { $0[position] }
    }
}

/// Runs `body` on Swift's concurrency pool and blocks the calling thread until it is done:
/// how a synchronous benchmark loop runs the `withTaskGroup` peers. The result travels back
/// in one of the library's own futures.
func blockingAwait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let future = Future<T>()
    Task.detached {
        do {
            try future.setResult(try await body())
        } catch {
            try? future.setException(error)
        }
    }
    return try future.result()
}
