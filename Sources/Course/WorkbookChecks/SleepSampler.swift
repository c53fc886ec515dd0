import ConcurrentFutures  // LockedValue
import Foundation
import SystemPlatform

/// Watches one thread and notes when it is asleep: the waits that a timeline draws `·` on the
/// row of the thread that called the code under test.
///
/// The code under test waits inside the library (`result()`, `wait`, `asCompleted`), where a
/// check cannot see. What the operating system says about the thread can be: a helper thread
/// looks every millisecond, as `CheckContext.whenCallerWaits` does. A wait shorter than that
/// may be missed; a wait of a few milliseconds or more is seen.
///
///     let sampler = SleepSampler(watching: currentThreadID())
///     try impl.firstGoodAnswer(...)
///     let waits = sampler.stop()     // [Range<ContinuousClock.Instant>]
final class SleepSampler: Sendable {
    private struct State {
        var watching = true
        var asleepSince: ContinuousClock.Instant?
        var waits: [Range<ContinuousClock.Instant>] = []
    }

    private let state = LockedValue(State())

    /// How long the helper sleeps between two looks.
    static let interval: useconds_t = 1_000

    /// Starts watching the thread with id `thread` (from `currentThreadID()`).
    init(watching thread: UInt64) {
        let helper = Thread { [self] in
            while true {
                let asleep = snapshotThread(thread).map { $0.state == .waiting || $0.state == .waitingUninterruptibly } ?? false
                let now = ContinuousClock.now
                let stillWatching = state.withLock { state in
                    guard state.watching else { return false }
                    if asleep, state.asleepSince == nil { state.asleepSince = now }
                    if !asleep, let since = state.asleepSince {
                        state.waits.append(since..<now)
                        state.asleepSince = nil
                    }
                    return true
                }
                if !stillWatching { return }
                usleep(Self.interval)
            }
        }
        helper.start()
    }

    /// Stops watching; the stretches in which the thread was seen asleep, the last one ending now
    /// if it still was.
    func stop() -> [Range<ContinuousClock.Instant>] {
        let now = ContinuousClock.now
        return state.withLock { state in
            state.watching = false
            if let since = state.asleepSince, since < now { state.waits.append(since..<now) }
            state.asleepSince = nil
            return state.waits
        }
    }
}
