import SystemPlatform

/// Copies what a pool's workers print to the program's standard error, on a thread of its own,
/// so that the pool's manager thread never waits for standard error.
///
/// Writing to standard error can block: when it is a pipe, the write waits until the reader at
/// the other end has made room, and a reader may be slow, busy elsewhere, or stuck. Were the
/// manager to write itself, one task printing a megabyte would stop every call of the pool
/// until someone read it. (Python's workers write to the inherited standard error directly,
/// so there a blocked reader stops only the worker that prints.)
///
/// So the manager only hands bytes over (`forward`), which never blocks: they wait in a buffer
/// of at most `capacity` bytes, and what does not fit is dropped and counted. The forwarding
/// thread writes the buffer out; when bytes were dropped it then says so in one line:
///
///     [ProcessPoolExecutor: 1953130 bytes of worker output were dropped: standard error was not read fast enough]
///
/// The thread starts with the first output and ends once `finish` was called and the buffer
/// is written; it writes to a duplicate of the destination descriptor, so that the program may
/// close its own meanwhile.
///
///     let forwarder = OutputForwarder(copying: 2)
///     forwarder?.forward(bytes)                 // the manager: never waits
///     forwarder?.finish(within: .seconds(1))    // the pool is done: flush, without hanging
final class OutputForwarder: @unchecked Sendable {
    /// The most bytes waiting to be written; more are dropped.
    static let defaultCapacity = 1 << 20

    private let destination: Int32
    private let capacity: Int
    private let condition = ConditionLock()
    // Guarded by `condition`:
    private var waiting = FIFOQueue<[UInt8]>()
    /// Bytes handed over and not written yet (including those the thread is writing now).
    private var unwrittenBytes = 0
    /// Bytes dropped since the last line that said so.
    private var droppedBytes = 0
    private var isFinishing = false
    private var thread = ThreadState.notStarted

    private enum ThreadState {
        case notStarted
        case running
        /// Ended, or could not start (then everything handed over is dropped).
        case ended
    }

    /// A forwarder to `destination`, or `nil` if that descriptor is not open (there is
    /// nowhere to forward to).
    init?(copying destination: Int32, capacity: Int = OutputForwarder.defaultCapacity) {
        let copy = fcntl(destination, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { return nil }
        self.destination = copy
        self.capacity = capacity
    }

    /// Hands bytes over for writing; never blocks. Bytes that do not fit in the buffer are
    /// dropped and counted.
    func forward(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        condition.lock()
        guard !isFinishing else {
            condition.unlock()
            return
        }
        if case .ended = thread {
            droppedBytes += bytes.count  // no thread: nowhere to write
        } else if unwrittenBytes + bytes.count > capacity {
            droppedBytes += bytes.count
        } else {
            waiting.append(Array(bytes))
            unwrittenBytes += bytes.count
        }
        let mustStart: Bool
        if case .notStarted = thread {
            thread = .running
            mustStart = true
        } else {
            mustStart = false
        }
        condition.signal()
        condition.unlock()
        if mustStart { startThread() }
    }

    /// No more output will come: the thread writes what is buffered, then ends. Waits at most
    /// `timeout` for that, so that the last lines a task printed are out when a pool's
    /// `shutdown` returns, but a standard error that nobody reads cannot hold the pool up.
    func finish(within timeout: Duration) {
        let deadline = Deadline.now.advanced(by: timeout)
        condition.lock()
        isFinishing = true
        condition.broadcast()
        var closeHere = false
        switch thread {
        case .notStarted:
            thread = .ended
            closeHere = true
        case .running:
            while case .running = thread, condition.wait(until: deadline) {}
        case .ended:
            break
        }
        condition.unlock()
        if closeHere { close(destination) }
    }

    // MARK: The thread

    private func startThread() {
        switch SystemPlatform.startThread(named: "ProcessPoolOut", { self.run() }) {
        case .success(let handle):
            handle.detach()  // nobody joins it: `finish` waits for it by the condition
        case .failure:
            condition.lock()
            droppedBytes += unwrittenBytes
            unwrittenBytes = 0
            _ = waiting.removeAll()
            thread = .ended
            condition.broadcast()
            condition.unlock()
            close(destination)
        }
    }

    private func run() {
        var endsWithNewline = true
        condition.lock()
        while true {
            while waiting.isEmpty, droppedBytes == 0, !isFinishing { condition.wait() }
            if waiting.isEmpty, droppedBytes == 0 { break }  // finishing, and all is written
            let chunks = waiting.removeAll()
            let dropped = droppedBytes
            droppedBytes = 0
            condition.unlock()

            // Outside the lock: these writes may block for as long as nobody reads.
            var written = 0
            for chunk in chunks {
                chunk.withUnsafeBytes { writeAll(destination, $0) }
                written += chunk.count
                endsWithNewline = chunk.last == UInt8(ascii: "\n")
            }
            if dropped > 0 {
                let note = (endsWithNewline ? "" : "\n") + "[ProcessPoolExecutor: \(dropped) bytes of worker output "
                    + "were dropped: standard error was not read fast enough]\n"
                Array(note.utf8).withUnsafeBytes { writeAll(destination, $0) }
                endsWithNewline = true
            }

            condition.lock()
            unwrittenBytes -= written
        }
        thread = .ended
        condition.broadcast()
        condition.unlock()
        close(destination)
    }
}

/// Writes all of `bytes` to `descriptor`, retrying after partial writes and interruptions.
/// Gives up quietly on any other error (the destination is gone: nothing sensible to do).
func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) {
    var offset = 0
    while offset < bytes.count {
        let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written > 0 {
            offset += written
        } else if written < 0 && errno == EINTR {
            continue
        } else {
            return
        }
    }
}
