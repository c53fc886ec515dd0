import SystemPlatform

/// A moment on the monotonic clock, used for every timed wait in the library.
///
/// Python measures timeouts with `time.monotonic()`, a clock that never jumps when someone sets
/// the wall clock. `monotonicNanoseconds()` reads the same kind of clock, and `ConditionLock`
/// times its waits on it, so a deadline can be handed to a timed wait as it is.
///
/// A timeout of `nil` means "wait forever"; it becomes a `nil` deadline.
struct Deadline: Comparable, Sendable {
    /// Nanoseconds since an arbitrary fixed point (the machine's boot).
    let nanoseconds: Int64

    static var now: Deadline { Deadline(nanoseconds: monotonicNanoseconds()) }

    /// The deadline `timeout` from now; `nil` for no timeout.
    ///
    /// A negative timeout is bad input and throws, naming the argument (Python quietly treats
    /// it as zero; see "Differences from Python" in this folder's README.md).
    static func after(_ timeout: Duration?, argument: String = "timeout") throws -> Deadline? {
        guard let timeout else { return nil }
        guard timeout >= .zero else {
            throw InvalidArgumentError("\(argument) must not be negative, got \(timeout)")
        }
        return now.advanced(by: timeout)
    }

    func advanced(by duration: Duration) -> Deadline {
        // Durations longer than about 30 years are clamped so the arithmetic cannot overflow.
        let (seconds, attoseconds) = duration.components
        let clampedSeconds = min(seconds, 1_000_000_000)
        let delta = clampedSeconds * 1_000_000_000 + attoseconds / 1_000_000_000
        return Deadline(nanoseconds: nanoseconds + delta)
    }

    /// Time left until the deadline; zero once it has passed.
    var remaining: Duration {
        let left = nanoseconds - Deadline.now.nanoseconds
        return left > 0 ? .nanoseconds(left) : .zero
    }

    var hasPassed: Bool { Deadline.now >= self }

    static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}

extension Duration {
    /// "0.5 s", "250 ms": how the library's messages print a timeout.
    var readable: String {
        let (seconds, attoseconds) = components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        if milliseconds >= 1000 { return "\(milliseconds / 1000) s" }
        return "\(milliseconds) ms"
    }
}
