/// The two ways the operating systems differ in mutexes and condition variables. Everything
/// else about them (`pthread_mutex_lock`, `pthread_cond_wait`, `pthread_cond_signal`, ...) is
/// plain POSIX and called directly by the library.

/// Initializes `mutex` for critical sections of a few instructions, such as a queue's append
/// and take. Returns what `pthread_mutex_init` returns (0 on success).
///
///     let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
///     precondition(initializeMutexForShortCriticalSections(mutex) == 0)
///
/// - Linux: an *adaptive* mutex (`PTHREAD_MUTEX_ADAPTIVE_NP`, a glibc extension): a thread that
///   finds it taken spins for a moment before it sleeps, which is sooner than a sleep and a
///   wake-up (two system calls) when the holder lets go within a few hundred nanoseconds.
/// - macOS: a mutex with the "first fit" policy (`pthread_mutexattr_setpolicy_np` with
///   `PTHREAD_MUTEX_POLICY_FIRSTFIT_NP`; the default since macOS 10.14 is "fair share"): a thread
///   that comes along while the lock is free takes it, instead of queueing behind sleeping
///   waiters, which is what short critical sections want.
package func initializeMutexForShortCriticalSections(_ mutex: UnsafeMutablePointer<pthread_mutex_t>) -> Int32 {
    var attributes = pthread_mutexattr_t()
    pthread_mutexattr_init(&attributes)
    defer { pthread_mutexattr_destroy(&attributes) }
    #if canImport(Darwin)
    pthread_mutexattr_setpolicy_np(&attributes, PTHREAD_MUTEX_POLICY_FIRSTFIT_NP)
    #else
    pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
    #endif
    return pthread_mutex_init(mutex, &attributes)
}

/// Initializes `condition` so that `wait(on:releasing:until:)` can time its waits on the
/// monotonic clock. Returns what `pthread_cond_init` returns (0 on success).
///
/// - Linux: the condition variable is told to use `CLOCK_MONOTONIC`
///   (`pthread_condattr_setclock`); by default it would measure timeouts on the wall clock.
/// - macOS: a default condition variable; timed waits are relative (see below), so no clock
///   needs choosing (`pthread_condattr_setclock` does not exist there).
package func initializeMonotonicCondition(_ condition: UnsafeMutablePointer<pthread_cond_t>) -> Int32 {
    #if canImport(Darwin)
    return pthread_cond_init(condition, nil)
    #else
    var attributes = pthread_condattr_t()
    pthread_condattr_init(&attributes)
    defer { pthread_condattr_destroy(&attributes) }
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
    return pthread_cond_init(condition, &attributes)
    #endif
}

/// Sleeps on `condition`, releasing `mutex` (which the caller holds), until the condition is
/// signalled or the monotonic clock reaches `deadline` (in `monotonicNanoseconds()`). Returns
/// `false` once the deadline has passed. Wake-ups can be spurious, as with any condition
/// variable: wait in a loop.
///
///     while !ready {
///         if !wait(on: condition, releasing: mutex, until: deadline) { break }  // timed out
///     }
///
/// - Linux: `pthread_cond_timedwait` with the deadline as it is: an absolute time on
///   `CLOCK_MONOTONIC`, the clock `initializeMonotonicCondition` chose.
/// - macOS: `pthread_cond_timedwait_relative_np` with the time left until the deadline. Plain
///   `pthread_cond_timedwait` there compares against the wall clock, where a monotonic
///   deadline looks decades old: every wait would time out at once.
package func wait(
    on condition: UnsafeMutablePointer<pthread_cond_t>,
    releasing mutex: UnsafeMutablePointer<pthread_mutex_t>,
    until deadline: Int64
) -> Bool {
    #if canImport(Darwin)
    let left = max(0, deadline - monotonicNanoseconds())
    var relative = timespec(tv_sec: Int(left / 1_000_000_000), tv_nsec: Int(left % 1_000_000_000))
    return pthread_cond_timedwait_relative_np(condition, mutex, &relative) != ETIMEDOUT
    #else
    var absolute = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
    return pthread_cond_timedwait(condition, mutex, &absolute) != ETIMEDOUT
    #endif
}

/// The bytes of memory a processor core moves as one piece (a cache line). Two locks in the
/// same line slow each other down even when different threads take them (false sharing), so
/// lock arrays give each lock a line of its own.
///
/// - Linux: 64 (x86-64 and most arm64 cores).
/// - macOS on Apple silicon: 128, the line size Apple's M-series cores report. Intel Macs: 64.
#if canImport(Darwin) && arch(arm64)
package let cacheLineSize = 128
#else
package let cacheLineSize = 64
#endif
