import SystemPlatform

/// Seconds on the monotonic clock (`CLOCK_MONOTONIC`): only differences between two readings
/// mean something. Python's `time.perf_counter()` reads the same clock on Linux.
///
/// Reading it costs some 20-30 ns (the kernel maps the clock into the process, so no system
/// call is made), small enough to time a single round trip of a few microseconds.
func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// How long `body` takes, in seconds, and what it returned.
func timed<T>(_ body: () throws -> T) rethrows -> (seconds: Double, value: T) {
    let start = now()
    let value = try body()
    return (now() - start, value)
}
