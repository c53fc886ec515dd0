import SystemPlatform

/// Sleeps the calling thread for `duration` (Python: `time.sleep`). The lessons use it where a
/// thread must simply let time pass: holding a worker busy, sampling every few milliseconds.
///
///     pause(.milliseconds(50))
public func pause(_ duration: Duration) {
    guard duration > .zero else { return }
    let (seconds, attoseconds) = duration.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

/// Waits until `condition` holds, looking every millisecond, for at most `limit`. Returns
/// whether it came true. For a lesson that must see a state before it goes on ("both workers
/// have started"), without a fixed sleep that a slow machine would outrun.
///
///     waitUntil { futures[0].isRunning && futures[1].isRunning }
@discardableResult
public func waitUntil(_ limit: Duration = .seconds(5), _ condition: () -> Bool) -> Bool {
    let start = ContinuousClock.now
    while !condition() {
        if ContinuousClock.now - start > limit { return false }
        pause(.milliseconds(1))
    }
    return true
}
