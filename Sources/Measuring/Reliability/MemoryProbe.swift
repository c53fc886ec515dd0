import ConcurrentFutures
import Dispatch
import Foundation
import Synchronization
import SystemPlatform

/// The reliability suite's memory checks: a million tasks through a pool must leave resident
/// memory flat (judged by `MemoryGrowth`), and a pending future has a measurable size.
public struct MemoryReport: Sendable, CustomStringConvertible {
    /// Resident memory before the first task, in bytes.
    public var residentBefore = 0
    /// Resident memory after each batch of tasks had gone through the pool, and the verdict.
    public var growth = MemoryGrowth(residentAfterBatch: [], tasksPerBatch: 0)
    public var pendingFutures = 0
    /// Resident memory growth per pending (queued, not yet run) future, in bytes.
    public var bytesPerPendingFuture = 0.0

    public var description: String {
        "memory: \(growth.residentAfterBatch.count) batches of \(growth.tasksPerBatch) tasks, resident MiB before: "
            + String(format: "%.1f", Double(residentBefore) / 1_048_576) + "; \(growth.figures); "
            + String(format: "%d pending futures: %.0f bytes each", pendingFutures, bytesPerPendingFuture)
    }
}

/// Deliberate faults, to show that the memory check tells a leak from a one-off step
/// (`stress --memory --leak-bytes-per-task N`, `--one-off-step-mib N`; the tests use them).
public struct MemoryFaults: Sendable {
    /// Each task allocates this many bytes, touches them and never frees them.
    public var leakBytesPerTask = 0
    /// After the batch in the middle of the run, this many bytes are allocated, touched and
    /// kept: what the allocator adding an arena looks like.
    public var oneOffStepBytes = 0

    public init(leakBytesPerTask: Int = 0, oneOffStepBytes: Int = 0) {
        self.leakBytesPerTask = leakBytesPerTask
        self.oneOffStepBytes = oneOffStepBytes
    }
}

/// Runs `batches` × `tasksPerBatch` trivial tasks through a 2-worker pool, reading resident
/// memory after each batch, then measures the cost of `pendingFutures` queued futures.
public func measureMemory(
    batches: Int = 16, tasksPerBatch: Int = 100_000, pendingFutures: Int = 200_000, faults: MemoryFaults = MemoryFaults()
) throws -> MemoryReport {
    var report = MemoryReport()
    report.pendingFutures = pendingFutures
    report.residentBefore = residentBytes()
    var residentAfterBatch: [Int] = []
    let leak = faults.leakBytesPerTask
    var keptStep: UnsafeMutableRawPointer?
    defer { free(keptStep) }
    let pool = try ThreadPoolExecutor(maxWorkers: 2)
    for batch in 0..<batches {
        var futures: [Future<Int>] = []
        futures.reserveCapacity(tasksPerBatch)
        for index in 0..<tasksPerBatch {
            futures.append(try pool.submit {
                if leak > 0, let lost = malloc(leak) {  // never freed: a leak
                    memset(lost, 1, leak)
                    // The address escapes, or the optimizer would drop an allocation nobody reads.
                    leakedAddresses.wrappingAdd(Int(bitPattern: lost), ordering: .relaxed)
                }
                return index &* 2
            })
        }
        for future in futures { _ = try future.result() }
        futures = []
        if batch == batches / 2, faults.oneOffStepBytes > 0, let step = malloc(faults.oneOffStepBytes) {
            memset(step, 1, faults.oneOffStepBytes)  // touched, so it is resident
            keptStep = step
        }
        residentAfterBatch.append(residentBytes())
    }
    pool.shutdown()
    report.growth = MemoryGrowth(residentAfterBatch: residentAfterBatch, tasksPerBatch: tasksPerBatch)

    // Pending futures: one worker held at a gate, everything else waits in the queue.
    let blocked = try ThreadPoolExecutor(maxWorkers: 1)
    let gate = DispatchSemaphore(value: 0)
    _ = try blocked.submit { gate.wait() }
    var pending: [Future<Int>] = []
    pending.reserveCapacity(pendingFutures)
    let before = residentBytes()
    for index in 0..<pendingFutures { pending.append(try blocked.submit { index }) }
    let after = residentBytes()
    report.bytesPerPendingFuture = Double(after - before) / Double(pendingFutures)
    gate.signal()
    blocked.shutdown(wait: true, cancelFutures: true)
    return report
}

/// The sum of the addresses of the deliberately leaked blocks: it keeps them alive for the
/// optimizer (see `MemoryFaults.leakBytesPerTask`).
private let leakedAddresses = Atomic<Int>(0)

/// Resident set size of this process (see `residentMemoryBytes` in the platform layer).
public func residentBytes() -> Int {
    residentMemoryBytes()
}

/// Whether this process runs under AddressSanitizer or ThreadSanitizer. Both keep freed memory
/// aside for a while (ASan's quarantine) or shadow every byte, so resident memory then says
/// nothing about leaks: the memory check is skipped.
public var runningUnderSanitizer: Bool {
    runsUnderAddressSanitizer || runsUnderThreadSanitizer
}
