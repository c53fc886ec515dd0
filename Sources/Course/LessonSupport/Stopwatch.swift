import SystemPlatform

/// Monotonic timing for the lessons: how long did this take?
///
/// Built on `ContinuousClock`, which never jumps when the wall clock is adjusted; Python's
/// `time.perf_counter()` plays the same role.
public struct Stopwatch: Sendable {
    /// The instant the stopwatch was started.
    public let start: ContinuousClock.Instant

    /// Starts a stopwatch now.
    public init() {
        start = ContinuousClock.now
    }

    /// Time since the stopwatch was started.
    public var elapsed: Duration {
        ContinuousClock.now - start
    }

    /// Runs `body` once and returns what it returned together with how long it took.
    public static func measure<T>(_ body: () throws -> T) rethrows -> (result: T, duration: Duration) {
        let stopwatch = Stopwatch()
        let result = try body()
        return (result, stopwatch.elapsed)
    }

    /// CPU time this process has used so far, all threads together (`CLOCK_PROCESS_CPUTIME_ID`).
    /// Compared with wall time it shows whether a program was computing or waiting.
    public static func processCPUTime() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }

    /// How many times faster `after` is than `before`, with one decimal: "9.8×".
    public static func speedUp(from before: Duration, to after: Duration) -> String {
        guard after > .zero else { return "∞×" }
        let tenths = Int((before / after * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)×"
    }

    /// Formats a duration in the unit that suits it: "1.23 s", "45.6 ms", "12 µs", "800 ns".
    public static func format(_ duration: Duration) -> String {
        let nanoseconds = duration.nanosecondsRounded
        if nanoseconds < 0 { return "-" + format(.nanoseconds(-nanoseconds)) }
        let hundredthsOfSecond = (nanoseconds + 5_000_000) / 10_000_000
        if hundredthsOfSecond >= 100 {
            return "\(hundredthsOfSecond / 100).\(twoDigits(hundredthsOfSecond % 100)) s"
        }
        let tenthsOfMillisecond = (nanoseconds + 50_000) / 100_000
        if tenthsOfMillisecond >= 10 {
            return "\(tenthsOfMillisecond / 10).\(tenthsOfMillisecond % 10) ms"
        }
        if nanoseconds >= 1_000 {
            return "\((nanoseconds + 500) / 1_000) µs"
        }
        return "\(nanoseconds) ns"
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}

extension Duration {
    /// The duration in the unit that suits it, e.g. "1.23 s" or "45.6 ms" (see `Stopwatch.format`).
    public var readable: String { Stopwatch.format(self) }

    /// The duration as a number of seconds, e.g. for computing a speed-up.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// The duration as a number of milliseconds.
    public var inMilliseconds: Double { inSeconds * 1_000 }

    /// Whole nanoseconds, rounded to the nearest.
    var nanosecondsRounded: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + (attoseconds + (attoseconds >= 0 ? 500_000_000 : -500_000_000)) / 1_000_000_000
    }
}
