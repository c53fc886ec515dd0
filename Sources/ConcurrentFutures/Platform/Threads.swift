/// Operating-system threads: starting, naming, joining, and who the calling thread is.
///
///     let thread = try startThread(named: "downloader") { download() }.get()
///     thread.join()

/// A started thread, to join (wait for it to end) or to detach (let it free itself when it
/// ends). Do exactly one of the two, once.
///
/// `@unchecked Sendable`: on macOS a `pthread_t` is a pointer, which Swift does not consider
/// `Sendable`; the handle is only an identifier, safe to pass to another thread.
package struct ThreadHandle: @unchecked Sendable {
    let thread: pthread_t

    /// Waits until the thread has ended. Python: `Thread.join()`.
    package func join() { pthread_join(thread, nil) }

    /// Lets the thread free its own resources when it ends; nobody will join it.
    package func detach() { pthread_detach(thread) }

    /// Whether this is the calling thread.
    package var isCurrentThread: Bool { pthread_equal(thread, pthread_self()) != 0 }
}

/// Why a thread could not start.
package struct ThreadStartError: Error, CustomStringConvertible {
    /// The `errno` value `pthread_create` returned (usually `EAGAIN`: too many threads).
    package let code: Int32
    package var description: String { "can't start new thread: \(String(cString: strerror(code)))" }
}

/// The stack every thread started here gets: 8 MiB, what Linux gives the main thread and
/// `pthread_create`'s default there. macOS gives other threads only 512 KiB by default, so
/// a task with deep recursion that works on Linux would crash there; now it behaves alike.
/// (Address space only: memory is used as the stack grows.)
package let threadStackSize = 8 << 20

/// Starts a thread named `name` that runs `body`, then ends.
///
/// The new thread names itself before it runs `body`: on macOS a thread can only name itself.
/// Names longer than the system keeps are shortened (see `setCurrentThreadName`).
///
/// - Linux and macOS: `pthread_create` with an explicit stack size (`threadStackSize`).
package func startThread(named name: String, _ body: @escaping @Sendable () -> Void) -> Result<ThreadHandle, ThreadStartError> {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, threadStackSize)

    // The new thread takes over this +1 reference.
    let context = Unmanaged.passRetained(ThreadStart(name: name, body: body)).toOpaque()
    #if canImport(Darwin)
    var thread: pthread_t? = nil
    #else
    var thread = pthread_t()
    #endif
    // A closure literal that captures nothing can be a C function pointer. Its argument is an
    // optional pointer on Linux and a non-optional one on macOS; `as UnsafeMutableRawPointer?`
    // accepts both. (It must not be written in a `main.swift`: there it would be main-actor
    // isolated, and run on another thread it dies.)
    let status = pthread_create(&thread, &attributes, { argument in
        let start = Unmanaged<ThreadStart>.fromOpaque((argument as UnsafeMutableRawPointer?)!).takeRetainedValue()
        setCurrentThreadName(start.name)
        start.body()
        return nil
    }, context)
    guard status == 0 else {
        Unmanaged<ThreadStart>.fromOpaque(context).release()
        return .failure(ThreadStartError(code: status))
    }
    #if canImport(Darwin)
    return .success(ThreadHandle(thread: thread!))
    #else
    return .success(ThreadHandle(thread: thread))
    #endif
}

/// What a new thread needs, boxed to travel through `pthread_create`'s `void *` argument.
private final class ThreadStart {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}

/// The longest thread name the system keeps, in bytes: 15 on Linux, 63 on macOS.
#if canImport(Darwin)
package let maximumThreadNameLength = 63
#else
package let maximumThreadNameLength = 15
#endif

/// Names the calling thread (what debuggers, `top -H` and crash reports show). A name longer
/// than `maximumThreadNameLength` bytes is cut at a character boundary.
///
/// - Linux: `pthread_setname_np(pthread_self(), name)`; the kernel keeps 15 bytes.
/// - macOS: `pthread_setname_np(name)`, which only names the calling thread; 63 bytes are kept.
package func setCurrentThreadName(_ name: String) {
    var kept = ""
    for character in name {
        if kept.utf8.count + character.utf8.count > maximumThreadNameLength { break }
        kept.append(character)
    }
    #if canImport(Darwin)
    _ = pthread_setname_np(kept)
    #else
    _ = pthread_setname_np(pthread_self(), kept)
    #endif
}

/// The calling thread's name, as the system keeps it ("" if it has none).
///
/// - Linux and macOS: `pthread_getname_np(pthread_self(), ...)` (a glibc extension on Linux,
///   declared by macOS too).
package func currentThreadName() -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    guard pthread_getname_np(pthread_self(), &buffer, buffer.count) == 0 else { return "" }
    return string(fromCString: buffer)
}

/// The system-wide id of the calling thread: the number a debugger shows, unique among the
/// threads alive at once. `threadSnapshots()` reports the same numbers.
///
/// - Linux: `gettid()`, the kernel's thread id (as in `/proc/self/task/<id>`).
/// - macOS: `pthread_threadid_np`, the kernel's 64-bit thread id.
package func currentThreadID() -> UInt64 {
    #if canImport(Darwin)
    var id: UInt64 = 0
    pthread_threadid_np(nil, &id)
    return id
    #else
    return UInt64(gettid())
    #endif
}

/// The number of CPU cores this process may run on. Python 3.13: `os.process_cpu_count()`.
///
/// - Linux: the CPUs in the process's affinity mask (`sched_getaffinity`), so `taskset` and
///   container CPU sets are respected; all online CPUs if that fails.
/// - macOS: the active CPUs (`sysconf(_SC_NPROCESSORS_ONLN)`; macOS has no affinity masks).
///   On Apple silicon this counts the efficiency cores too.
package func availableProcessorCount() -> Int {
    #if !canImport(Darwin)
    var set = cpu_set_t()
    if sched_getaffinity(0, MemoryLayout<cpu_set_t>.size, &set) == 0 {
        let count = withUnsafeBytes(of: &set) { bytes in
            bytes.reduce(0) { $0 + $1.nonzeroBitCount }
        }
        if count > 0 { return count }
    }
    #endif
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

/// The text of a C string held in a buffer (up to its first zero byte), decoded as UTF-8.
package func string(fromCString buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
