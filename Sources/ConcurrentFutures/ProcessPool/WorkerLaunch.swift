import SystemPlatform

/// Starting a worker process: the POSIX plumbing, kept apart so that the pool's logic reads
/// without it. Python's counterpart is `multiprocessing`'s "spawn" start method
/// (`Popen` in `popen_spawn_posix.py`): a fresh run of the program, not a copy of the parent.
///
/// The child gets these descriptors and nothing else:
///
///     0  /dev/null                     a task cannot read the parent's input by accident
///     1  the error pipe                a stray `print` goes to the error stream, never into
///     2  the error pipe                the protocol; the parent forwards it and keeps its tail
///     3  its end of the socket pair    the protocol (`WireProtocol.swift`)
///
/// Pitfalls this avoids (each one was seen on Linux):
/// - **Descriptor leaks.** Every descriptor the parent makes is close-on-exec, and the child
///   gets descriptors 0 to 3 and no other (`spawnProcess`): otherwise each worker would
///   inherit the other workers' sockets and never see the end of its own stream. In the
///   child, `dup2` clears close-on-exec on descriptor 3, so the worker sets it again first
///   thing (`WorkerLoop.run`): a program that a task starts must not inherit the socket, or
///   the parent would not see the end of the stream when the worker dies.
/// - **Inherited signal state.** Signals the parent ignores or blocks would stay ignored or
///   blocked in the child; the spawn resets them to the defaults.
/// - **SIGPIPE.** Writing to a socket whose reader died raises SIGPIPE, which kills a process
///   by default. The parent writes with `sendWithoutSignal` and gets `EPIPE` instead, without
///   touching the program's signal handling.
enum WorkerLaunch {
    /// The environment variable that tells a fresh start of the program to be a worker.
    static let modeVariable = "CONCURRENT_FUTURES_WORKER"
    /// The descriptor of the socket in the child.
    static let childSocketDescriptor: Int32 = 3

    /// A worker just started, with the parent's ends of its socket and its error pipe (both
    /// close-on-exec and non-blocking).
    struct Started {
        let pid: pid_t
        let socket: Int32
        let errorOutput: Int32
    }

    /// A failed system call, with its name and `errno`.
    struct SystemCallError: Error, CustomStringConvertible {
        let call: String
        let code: Int32
        var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
    }

    /// Starts `executable` as a worker, with `environment` ("NAME=value" strings).
    static func start(executable: String, environment: [String]) throws(SystemCallError) -> Started {
        // The socket pair: one end for the parent, one for the child's descriptor 3.
        var socketEnds: [Int32] = [-1, -1]
        guard makeSocketPair(&socketEnds) == 0 else {
            throw SystemCallError(call: "socketpair", code: errno)
        }
        // The error pipe: the child writes (descriptors 1 and 2), the parent reads.
        var pipeEnds: [Int32] = [-1, -1]
        guard makePipe(&pipeEnds) == 0 else {
            let code = errno
            close(socketEnds[0]); close(socketEnds[1])
            throw SystemCallError(call: "pipe", code: code)
        }
        let (parentSocket, childSocket) = (socketEnds[0], moveAboveStandardDescriptors(socketEnds[1]))
        let (errorReader, errorWriter) = (pipeEnds[0], moveAboveStandardDescriptors(pipeEnds[1]))
        // The child's ends belong to the child only: close them here whatever happens.
        defer { close(childSocket); close(errorWriter) }

        let pid: pid_t
        switch spawnProcess(
            executable: executable, arguments: [executable], environment: environment,
            descriptors: [.nullDevice, .copy(of: errorWriter), .copy(of: errorWriter), .copy(of: childSocket)]
        ) {
        case .success(let spawned):
            pid = spawned
        case .failure(let error):
            close(parentSocket); close(errorReader)
            throw SystemCallError(call: "posix_spawn \(executable)", code: error.code)
        }
        setNonBlocking(parentSocket)
        setNonBlocking(errorReader)
        return Started(pid: pid, socket: parentSocket, errorOutput: errorReader)
    }

    /// Tells a worker the largest message it may send, when a test lowered it (see
    /// `ProcessPoolTuning`); absent, the worker uses `maximumFrameLength`.
    static let messageLimitVariable = "CONCURRENT_FUTURES_MESSAGE_LIMIT"

    /// The environment for workers: this process's environment, plus the worker-mode variable,
    /// plus `SWIFT_BACKTRACE=enable=no` unless `backtraces` is set, plus the message limit
    /// unless it is the usual one.
    ///
    /// Swift's crash backtracer is a fine tool, but it keeps a crashing worker alive for tens
    /// of milliseconds while it symbolicates; without it a crash is noticed in about a
    /// millisecond. The runtime's one-line message ("Fatal error: ...") is still printed, and
    /// ends up in `BrokenProcessPool.standardErrorTail`.
    static func environment(backtraces: Bool, messageLimit: Int = maximumFrameLength) -> [String] {
        var variables: [String] = []
        for text in currentEnvironment() {
            if text.hasPrefix(modeVariable + "=") || text.hasPrefix(messageLimitVariable + "=") { continue }
            if !backtraces, text.hasPrefix("SWIFT_BACKTRACE=") { continue }
            variables.append(text)
        }
        variables.append(modeVariable + "=1")
        if !backtraces { variables.append("SWIFT_BACKTRACE=enable=no") }
        if messageLimit != maximumFrameLength { variables.append(messageLimitVariable + "=\(messageLimit)") }
        return variables
    }

    /// Gives `descriptor` a number above 3 if it has one of 0...3, so that the child's
    /// `dup2` calls onto 0...3 can never overwrite a descriptor that a later `dup2` still
    /// needs (possible only when the parent runs with a standard descriptor closed).
    private static func moveAboveStandardDescriptors(_ descriptor: Int32) -> Int32 {
        guard descriptor <= childSocketDescriptor else { return descriptor }
        let moved = fcntl(descriptor, F_DUPFD_CLOEXEC, childSocketDescriptor + 1)
        guard moved >= 0 else { return descriptor }
        close(descriptor)
        return moved
    }

    // MARK: - Waiting for a worker to end

    /// Whether a child is still running, as `collectIfEnded` finds it.
    enum ChildStatus {
        case running
        /// It has ended and its exit status is collected now (`nil`: someone else collected it).
        case ended(ProcessTermination?)
    }

    /// Collects the exit status of the child `pid` if it has ended; never waits.
    static func collectIfEnded(_ pid: pid_t) -> ChildStatus {
        while true {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return .ended(ProcessTermination(waitStatus: status)) }
            if result == 0 { return .running }
            if errno == EINTR { continue }
            return .ended(nil)  // ECHILD: not our child any more, so not running as our worker
        }
    }

    /// Collects the exit status of the child `pid`, so that it does not stay behind as a
    /// zombie, and returns how it ended. Waits at most `grace` for it to end by itself, then
    /// kills it with SIGKILL. `nil` if someone else already collected it.
    ///
    /// Only ever waits for this one pid: `waitpid(-1)` would steal the exit status of other
    /// children of the program.
    static func reap(_ pid: pid_t, grace: Duration) -> ProcessTermination? {
        let deadline = Deadline.now.advanced(by: grace)
        var killed = false
        while true {
            var status: Int32 = 0
            let result = waitpid(pid, &status, killed ? 0 : WNOHANG)
            if result == pid { return ProcessTermination(waitStatus: status) }
            if result == -1 {
                if errno == EINTR { continue }
                return nil  // ECHILD: not our child any more
            }
            // Still running. A worker that has closed its socket is on its way out: this
            // takes a millisecond or two, except for a worker stuck in a task.
            if deadline.hasPassed {
                kill(pid, SIGKILL)
                killed = true  // SIGKILL cannot be caught: the next wait returns promptly
            } else {
                usleep(500)
            }
        }
    }
}
