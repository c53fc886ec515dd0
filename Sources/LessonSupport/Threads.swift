import Glibc

/// Plain joinable POSIX threads for LessonSupport's own machinery (the HTTP server).
///
/// The server deliberately does not use the workbook's thread pool: a lesson that breaks or
/// saturates its pool must still be able to talk to the server.
enum Threads {
    /// Starts a joinable thread named `name` (at most 15 characters are kept) that runs `body`.
    static func start(name: String, _ body: @escaping @Sendable () -> Void) -> pthread_t? {
        let context = Unmanaged.passRetained(ThreadContext(body: body)).toOpaque()
        var thread = pthread_t()
        guard pthread_create(&thread, nil, threadEntryPoint, context) == 0 else {
            Unmanaged<ThreadContext>.fromOpaque(context).release()
            return nil
        }
        // Named from here rather than by the thread itself, so the name is in place when `start` returns.
        pthread_setname_np(thread, String(name.utf8.prefix(15))!)
        return thread
    }

    /// Waits for `thread` to finish.
    static func join(_ thread: pthread_t) {
        pthread_join(thread, nil)
    }
}

/// The work a new thread runs, boxed so it can travel through `pthread_create`'s `void *` argument.
private final class ThreadContext {
    let body: @Sendable () -> Void

    init(body: @escaping @Sendable () -> Void) {
        self.body = body
    }
}

/// The C entry point of every thread started by `Threads.start`: a global function, so it is not
/// isolated to any actor (see PLATFORM-NOTES on closures passed to `pthread_create`).
private func threadEntryPoint(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let thread = Unmanaged<ThreadContext>.fromOpaque(context!).takeRetainedValue()
    thread.body()
    return nil
}
