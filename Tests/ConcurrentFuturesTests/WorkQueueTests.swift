import Foundation
import Testing
import Synchronization
@testable import ConcurrentFutures

/// The pool's queue (`WorkQueue`): first in, first out across its blocks of slots, closing,
/// letting go of what it held, and many threads at both ends at once.
@Suite("Work queue")
struct WorkQueueTests {
    /// A worker that is never started: `take(by:)` marks it busy.
    let worker = WorkerThread(
        name: "test_0", index: 0,
        pool: ThreadPoolExecutor.Core(
            maxWorkers: 1, threadNamePrefix: "test", initializer: nil, observer: nil, detectsDeadlocks: false))

    /// A work item whose future is numbered `number` (its task id).
    static func item(_ number: Int) -> WorkItem {
        WorkItem(future: Future<Int>(origin: TaskOrigin(pool: PoolIdentity(name: "test"), taskID: number, label: nil))) {
            number
        }
    }

    static func number(of taken: WorkQueue.Taken) -> Int? {
        if case .item(let item) = taken { return item.future.origin?.taskID }
        return nil
    }

    @Test func itemsComeOutInTheOrderTheyWentInAcrossManyBlocks() {
        let queue = WorkQueue()
        let total = WorkQueue.blockSize * 3 + 7
        // Interleaved: append two, take one, so the taking end crosses blocks while the
        // appending end is still filling later ones.
        var taken: [Int] = []
        for number in 0..<total {
            #expect(queue.append(Self.item(number)))
            if number % 2 == 1, let first = Self.number(of: queue.take(by: worker)) { taken.append(first) }
        }
        #expect(queue.count == total - taken.count)
        while let first = Self.number(of: queue.take(by: worker)) { taken.append(first) }
        #expect(taken == Array(0..<total))
        #expect(queue.isEmpty)
        #expect(queue.totalAppended == total)
        if case .empty = queue.take(by: worker) {} else { Issue.record("an empty open queue must say .empty") }
    }

    @Test func takingMarksTheWorkerBusy() {
        let queue = WorkQueue()
        worker.isBusy = false
        _ = queue.take(by: worker)
        #expect(!worker.isBusy, "nothing was taken")
        #expect(queue.append(Self.item(1)))
        _ = queue.take(by: worker)
        #expect(worker.isBusy)
    }

    @Test func aClosedQueueRefusesNewItemsAndHandsOutTheOnesItHas() {
        let queue = WorkQueue()
        for number in 0..<3 { #expect(queue.append(Self.item(number))) }
        queue.close()
        #expect(queue.isClosed)
        #expect(!queue.append(Self.item(99)))
        #expect(queue.totalAppended == 3)
        #expect(Self.number(of: queue.take(by: worker)) == 0)
        #expect(queue.removeAll().map { $0.future.origin?.taskID } == [1, 2])
        if case .closed = queue.take(by: worker) {} else { Issue.record("a drained closed queue must say .closed") }
    }

    @Test func aDroppedQueueLetsGoOfTheItemsItStillHeld() {
        weak var firstFuture: Future<Int>?
        weak var lastFuture: Future<Int>?
        do {
            let queue = WorkQueue()
            let count = WorkQueue.blockSize * 2 + 1
            for number in 0..<count {
                let future = Future<Int>()
                if number == 5 { firstFuture = future }
                if number == count - 1 { lastFuture = future }
                #expect(queue.append(WorkItem(future: future) { number }))
            }
            for _ in 0..<5 { _ = queue.take(by: worker) }  // the taking end is inside the first block
            #expect(firstFuture != nil && lastFuture != nil)
        }
        #expect(firstFuture == nil, "an item left in the first block was not released")
        #expect(lastFuture == nil, "an item left in a later block was not released")
    }

    @Test func aLongQueueIsDroppedWithoutDeepRecursion() {
        // 4,000 blocks, dropped on a thread with a 128 KB stack: freeing them one from the
        // other would nest 4,000 deinits and overflow it.
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do {
                let queue = WorkQueue()
                let item = Self.item(0)
                for _ in 0..<(WorkQueue.blockSize * 4_000) { _ = queue.append(item) }
            }  // the queue is dropped here
            done.signal()
        }
        thread.stackSize = 128 << 10
        thread.start()
        done.wait()
    }

    /// Four threads append, four take, at once: every item is taken exactly once, and the items
    /// of each appending thread come out in the order that thread appended them.
    @Test func manyThreadsAtBothEnds() {
        let queue = WorkQueue()
        let producers = 4
        let perProducer = RaceTests.tasksPerThread * 2
        let takenBy = LockedValue<[[Int]]>(Array(repeating: [], count: producers))
        let workers = (0..<producers).map { index in
            WorkerThread(name: "test_\(index)", index: index, pool: worker.pool)
        }
        let appendersDone = Atomic<Int>(0)
        runOnThreads(producers * 2) { thread in
            if thread < producers {
                for number in 0..<perProducer { _ = queue.append(Self.item(thread * perProducer + number)) }
                appendersDone.add(1, ordering: .releasing)
            } else {
                var mine: [Int] = []
                while true {
                    if let number = Self.number(of: queue.take(by: workers[thread - producers])) {
                        mine.append(number)
                    } else if appendersDone.load(ordering: .acquiring) == producers && queue.isEmpty {
                        break
                    }
                }
                takenBy.withLock { $0[thread - producers] = mine }
            }
        }
        let all = takenBy.withLock { $0 }
        #expect(all.joined().sorted() == Array(0..<(producers * perProducer)))
        for takerItems in all {
            for producer in 0..<producers {
                let fromProducer = takerItems.filter { $0 / perProducer == producer }
                #expect(fromProducer == fromProducer.sorted(), "one taker saw a producer's items out of order")
            }
        }
    }
}
