import Dispatch
import Foundation
import Synchronization
@testable import ConcurrentFutures

/// A gate that tasks wait at until the test opens it: a rendezvous instead of a sleep.
final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let opened = Atomic<Bool>(false)
    /// Blocks until `open()` (or at most 10 s, so a broken test fails instead of hanging).
    func wait() {
        _ = semaphore.wait(timeout: .now() + 10)
        semaphore.signal()  // let the next waiter through too
    }
    func open() {
        if !opened.exchange(true, ordering: .relaxed) { semaphore.signal() }
    }
}

/// Counts arrivals and lets a test wait until `n` tasks have arrived.
final class Arrivals: Sendable {
    private let count = LockedValue(0)
    func arrive() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
    /// Polls until at least `n` arrived; false after 10 s.
    func wait(for n: Int) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while value < n { if Date() > deadline { return false }; usleep(200) }
        return true
    }
}

/// Records the highest number of tasks inside `run` at the same time.
final class ConcurrencyProbe: Sendable {
    private let state = LockedValue((current: 0, peak: 0))
    func run<T>(_ body: () throws -> T) rethrows -> T {
        state.withLock { $0.current += 1; $0.peak = max($0.peak, $0.current) }
        defer { state.withLock { $0.current -= 1 } }
        return try body()
    }
    var peak: Int { state.withLock { $0.peak } }
}

struct TestError: Error, Equatable, CustomStringConvertible {
    let tag: Int
    init(_ tag: Int = 0) { self.tag = tag }
    var description: String { "TestError(\(tag))" }
}

/// Runs `body(i)` on `count` new threads at once and waits for all of them.
func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            body(index)
            group.leave()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
    group.wait()
}

/// Polls `condition` for up to 5 s.
func eventually(_ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(5)
    while !condition() { if Date() > deadline { return false }; usleep(1000) }
    return true
}

/// Collects the diagnostics reports made while `body` runs.
///
/// The handler is process-wide and tests run in parallel, so one forwarding handler is
/// installed once, and each capture registers a collector of its own. Reports from other
/// tests running at the same time land in every collector: filter by what your test made.
func capturingDiagnostics(_ body: () throws -> Void) rethrows -> [FutureDiagnostics.Report] {
    let collector = DiagnosticsCollector()
    try body()
    return collector.finish()
}

func capturingDiagnostics(_ body: () async throws -> Void) async rethrows -> [FutureDiagnostics.Report] {
    let collector = DiagnosticsCollector()
    try await body()
    return collector.finish()
}

final class DiagnosticsCollector: Sendable {
    private static let active = LockedValue<[ObjectIdentifier: DiagnosticsCollector]>([:])
    private static let installForwarder: Void = {
        FutureDiagnostics.setHandler { report in
            for collector in DiagnosticsCollector.active.withLock({ Array($0.values) }) {
                collector.reports.withLock { $0.append(report) }
            }
        }
    }()

    private let reports = LockedValue<[FutureDiagnostics.Report]>([])

    init() {
        DiagnosticsCollector.installForwarder
        DiagnosticsCollector.active.withLock { $0[ObjectIdentifier(self)] = self }
    }

    func finish() -> [FutureDiagnostics.Report] {
        _ = DiagnosticsCollector.active.withLock { $0.removeValue(forKey: ObjectIdentifier(self)) }
        return reports.withLock { $0 }
    }
}

/// The error that `body` throws, if it is an `E`; `nil` if it throws nothing or something else.
/// (`#expect(throws:)` hands back the error only from Swift 6.1 on; the package supports 6.0.)
func caught<E: Error, R>(_ type: E.Type, _ body: () throws -> R) -> E? {
    do { _ = try body(); return nil } catch { return error as? E }
}
