import ConcurrentFutures
import Dispatch
import Foundation
import SystemPlatform

/// The reliability suite's memory checks: a million tasks through a pool must leave resident
/// memory flat, and a pending future has a measurable size.
public struct MemoryReport: Sendable, CustomStringConvertible {
    /// Resident memory before the first task, in bytes.
    public var residentBefore = 0
    /// Resident memory after each batch of tasks had gone through the pool, in bytes.
    public var residentAfterBatch: [Int] = []
    public var tasksPerBatch = 0
    public var pendingFutures = 0
    /// Resident memory growth per pending (queued, not yet run) future, in bytes.
    public var bytesPerPendingFuture = 0.0

    /// Growth of the last batch over the highest of the first three (the allocator's
    /// warm-up: freed memory stays with the process for reuse, so the level rises at first
    /// and then must stay flat).
    public var growthAfterWarmUp: Int {
        guard residentAfterBatch.count > 3 else { return 0 }
        return residentAfterBatch.last! - residentAfterBatch.prefix(3).max()!
    }

    public var description: String {
        let batches = residentAfterBatch.map { String(format: "%.1f", Double($0) / 1_048_576) }.joined(separator: ", ")
        return "memory: \(residentAfterBatch.count) batches of \(tasksPerBatch) tasks, resident MiB before: "
            + String(format: "%.1f", Double(residentBefore) / 1_048_576) + ", after each batch: \(batches) "
            + String(format: "(growth after warm-up: %.2f MiB); ", Double(growthAfterWarmUp) / 1_048_576)
            + String(format: "%d pending futures: %.0f bytes each", pendingFutures, bytesPerPendingFuture)
    }
}

/// Runs `batches` × `tasksPerBatch` trivial tasks through a 2-worker pool, reading resident
/// memory after each batch, then measures the cost of `pendingFutures` queued futures.
public func measureMemory(batches: Int = 10, tasksPerBatch: Int = 100_000, pendingFutures: Int = 200_000) throws -> MemoryReport {
    var report = MemoryReport()
    report.tasksPerBatch = tasksPerBatch
    report.pendingFutures = pendingFutures
    report.residentBefore = residentBytes()
    let pool = try ThreadPoolExecutor(maxWorkers: 2)
    for _ in 0..<batches {
        var futures: [Future<Int>] = []
        futures.reserveCapacity(tasksPerBatch)
        for index in 0..<tasksPerBatch { futures.append(try pool.submit { index &* 2 }) }
        for future in futures { _ = try future.result() }
        futures = []
        report.residentAfterBatch.append(residentBytes())
    }
    pool.shutdown()

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
