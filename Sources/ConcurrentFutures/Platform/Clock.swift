/// Nanoseconds on the monotonic clock, from an arbitrary fixed point: the clock every timeout of
/// the library is measured on. It never jumps when someone sets the wall clock (Python's
/// `time.monotonic()` makes the same promise).
///
///     let start = monotonicNanoseconds()
///     work()
///     let elapsed = monotonicNanoseconds() - start
///
/// - Linux: `clock_gettime(CLOCK_MONOTONIC)`, which stands still while the machine sleeps.
/// - macOS: `clock_gettime(CLOCK_MONOTONIC)` too; there it keeps counting while the machine
///   sleeps, so a timeout that spans a laptop's sleep ends when the lid opens.
package func monotonicNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}
