import Synchronization

/// A thread pool's queue of waiting work items: first in, first out, appended to by the threads
/// that submit and taken from by the workers, with **one lock for each end**, so that a thread
/// submitting never waits for a worker taking, and the other way round.
/// Python: `queue.SimpleQueue` (`_work_queue` in `thread.py`), plus the `shutdown()` that
/// Python 3.13 gave `queue.Queue`: once closed, appending fails and taking drains what is left.
///
///     let queue = WorkQueue()
///     queue.append(item)          // false once the queue is closed
///     switch queue.take(by: worker) {   // .item(item), .empty, or .closed (closed and empty)
///     ...
///     }
///
/// Why two locks (Michael and Scott, "Simple, fast, and practical non-blocking and blocking
/// concurrent queue algorithms", 1996): with one lock, every `submit` and every worker's take
/// queue up behind the same lock, and on many cores the lock's memory travels between the cores
/// for every task. Here submitters share the append lock among themselves and workers the take
/// lock among themselves; the two ends meet only in one counter per block of slots.
///
/// The items live in blocks of `blockSize` slots, linked in order. The appending end fills the
/// last block and links a new one when it is full; the taking end empties the first block and
/// drops it when it is done. A slot is written once, then published by the block's `written`
/// count (a releasing store); it is read once, after the taking end has seen that count (an
/// acquiring load). No slot is ever touched by both ends at once.
///
/// What it costs: two locks to take where one did (a `submit` on a pool that is still starting
/// threads takes the pool's lock and, briefly, the take lock), and 8 KB per pool for the first
/// block. What it saves, measured on 2 cores against the same pool with one lock for queue and
/// state (release builds, alternating; the bench README has the runs): two threads submitting
/// 2,000,000 tasks to 2 workers, median of 5, 0.98 s → 0.76 s (user CPU 1.33 → 1.00 s);
/// `bench --suite scaling`, 2 submitters and 2 workers against GCD from 2 threads, 0.63× and
/// 0.67× → 1.07× and 0.81×; instructions per `submit` + `result()` on one worker (callgrind)
/// 4,680 → 4,380. On 16 cores, where the single lock held the pool near 0.5 M tasks/s with
/// n submitters, it is not measured yet.
final class WorkQueue: @unchecked Sendable {
    /// Slots per block: one allocation per 256 tasks, 8 KB per block.
    static let blockSize = 256

    /// What `take()` found.
    enum Taken {
        case item(WorkItem)
        /// Nothing to take now; more may come.
        case empty
        /// Nothing to take, and nothing will come: the queue is closed and drained.
        case closed
    }

    /// The appending end: the last block, and how many of its slots are written.
    /// Guarded by `appendLock`.
    private let appendLock = ConditionLock()
    private var lastBlock: Block

    /// The taking end: the first block, and how many of its slots have been taken.
    /// Guarded by `takeLock`.
    private let takeLock = ConditionLock()
    private var firstBlock: Block
    private var takenFromFirstBlock = 0

    // Anyone may read these without a lock. Each is written by one end only, under its lock.
    /// Items ever appended (the pool's "submitted").
    private let appendedCount = Atomic<Int>(0)
    /// Items ever taken (run by a worker, or removed by `removeAll`).
    private let takenCount = Atomic<Int>(0)
    /// Set by `close()`, under the append lock.
    private let closed = Atomic<Bool>(false)

    init() {
        let block = Block()
        lastBlock = block
        firstBlock = block
    }

    deinit {
        // Blocks are dropped one by one: letting the first block's release free the whole
        // chain would recurse once per block (a queue of 10 million items has 40,000 of them).
        var block: Block? = firstBlock
        while let current = block {
            current.dropItems(from: current === firstBlock ? takenFromFirstBlock : 0)
            block = current.takeNext()
        }
    }

    /// Items waiting now. Exact when no thread appends or takes at the same time.
    var count: Int {
        // Taken first: an append and a take can only raise `appended` past it, never the reverse.
        let taken = takenCount.load(ordering: .sequentiallyConsistent)
        return appendedCount.load(ordering: .sequentiallyConsistent) - taken
    }

    var isEmpty: Bool { count == 0 }

    /// Items ever appended.
    var totalAppended: Int { appendedCount.load(ordering: .relaxed) }

    /// Whether `close()` has been called.
    var isClosed: Bool { closed.load(ordering: .sequentiallyConsistent) }

    /// Appends `item` at the end; `false` (and the item is not kept) if the queue is closed.
    ///
    /// The count of appended items is stored with sequential consistency: a worker that is about
    /// to sleep (`WorkerParking.sleep`) either sees this item, or is seen sleeping by the
    /// thread that appended it, which then wakes it.
    func append(_ item: consuming WorkItem) -> Bool {
        appendLock.lock()
        defer { appendLock.unlock() }
        if closed.load(ordering: .relaxed) { return false }  // written under this same lock
        var written = lastBlock.written.load(ordering: .relaxed)
        if written == WorkQueue.blockSize {
            let block = Block()
            lastBlock.link(block)
            lastBlock = block
            written = 0
        }
        (lastBlock.slots + written).initialize(to: item)
        lastBlock.written.store(written + 1, ordering: .releasing)
        appendedCount.add(1, ordering: .sequentiallyConsistent)
        return true
    }

    /// Takes the first item, if there is one, for `worker`, which it marks busy under the take
    /// lock: so that `submit`, counting idle workers with taking paused (`whileNobodyTakes`), never
    /// sees a task that is neither queued nor in a busy worker's hands.
    func take(by worker: WorkerThread) -> Taken {
        takeLock.lock()
        defer { takeLock.unlock() }
        // Looked at first: if the queue is closed, every append happened before `close()`, so
        // the look at the queue below sees them all, and an empty queue stays empty.
        let isClosed = closed.load(ordering: .sequentiallyConsistent)
        guard let item = takeFirst() else { return isClosed ? .closed : .empty }
        worker.isBusy = true
        return .item(item)
    }

    /// Runs `body` while no item can be taken (the take lock held): the queue's length and
    /// which workers are busy stay as they are, unless a worker finishes a task meanwhile.
    func whileNobodyTakes<Result>(_ body: () throws -> Result) rethrows -> Result {
        try takeLock.withLock(body)
    }

    /// Refuses every later `append`. Items already in the queue stay to be taken.
    func close() {
        appendLock.withLock { closed.store(true, ordering: .sequentiallyConsistent) }
    }

    /// Takes every item in the queue, first item first.
    func removeAll() -> [WorkItem] {
        takeLock.lock()
        defer { takeLock.unlock() }
        var items: [WorkItem] = []
        while let item = takeFirst() { items.append(item) }
        return items
    }

    /// Take lock held.
    private func takeFirst() -> WorkItem? {
        if takenFromFirstBlock == WorkQueue.blockSize {
            // The first block is used up; move on to the next one, if the appending end has
            // linked it yet.
            guard let next = firstBlock.takeNext() else { return nil }
            firstBlock = next
            takenFromFirstBlock = 0
        }
        guard takenFromFirstBlock < firstBlock.written.load(ordering: .acquiring) else { return nil }
        let item = (firstBlock.slots + takenFromFirstBlock).move()
        takenFromFirstBlock += 1
        takenCount.add(1, ordering: .sequentiallyConsistent)
        return item
    }

    /// `blockSize` slots, and the link to the next block.
    private final class Block: @unchecked Sendable {
        let slots = UnsafeMutablePointer<WorkItem>.allocate(capacity: WorkQueue.blockSize)
        /// Slots written (and published) by the appending end.
        let written = Atomic<Int>(0)
        /// The next block, retained: set by the appending end, taken by the taking end (an
        /// atomic, because the two ends hold different locks).
        private let next = Atomic<Unmanaged<Block>?>(nil)

        func link(_ block: Block) {
            next.store(Unmanaged.passRetained(block), ordering: .releasing)
        }

        /// The next block, if linked; this block lets go of it.
        func takeNext() -> Block? {
            next.exchange(nil, ordering: .acquiring)?.takeRetainedValue()
        }

        /// Deinitializes the items not taken, from slot `start` on. Only when nobody else can
        /// reach this block.
        func dropItems(from start: Int) {
            let end = written.load(ordering: .acquiring)
            if start < end { (slots + start).deinitialize(count: end - start) }
        }

        deinit {
            // Reached only through `WorkQueue.deinit` (or after its items were all taken):
            // `dropItems` has run, or nothing is left.
            next.exchange(nil, ordering: .acquiring)?.release()
            slots.deallocate()
        }
    }
}
