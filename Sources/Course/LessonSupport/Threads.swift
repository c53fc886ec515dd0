import SystemPlatform

/// Plain joinable threads for LessonSupport's own machinery (the HTTP server).
///
/// The server deliberately does not use the workbook's thread pool: a lesson that breaks or
/// saturates its pool must still be able to talk to the server.
enum Threads {
    /// Starts a joinable thread named `name` that runs `body`; `nil` if no thread could start.
    /// The thread names itself before it runs `body` (see `startThread`).
    static func start(name: String, _ body: @escaping @Sendable () -> Void) -> ThreadHandle? {
        try? startThread(named: name, body).get()
    }

    /// Waits for `thread` to finish.
    static func join(_ thread: ThreadHandle) {
        thread.join()
    }
}
