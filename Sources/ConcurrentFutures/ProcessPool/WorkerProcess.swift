import SystemPlatform

/// One worker process as the parent sees it: its pid, its socket and error pipe, the calls sent
/// to it and not answered yet, and the bytes on their way in and out.
///
/// Only the pool's manager thread uses it, so it needs no lock. Its descriptors are
/// non-blocking: the manager waits for all workers at once with `poll` and then reads or
/// writes only what is ready, so one slow worker never stalls the others (and the parent
/// never blocks on a write while the worker blocks on a write back to it).
final class WorkerProcess {
    /// Where the worker is in its life.
    enum State {
        /// Spawned; its "ready" message has not arrived. It must arrive by the deadline.
        case starting(deadline: Deadline)
        /// Running calls.
        case ready
        /// Its stream has been closed: it finishes the calls it has, then exits.
        case retiring
    }

    /// A call sent to this worker, with the number that its reply will carry.
    struct SentCall {
        let callID: UInt64
        let call: any ProcessCall
    }

    let pid: pid_t
    var state: State
    /// Sent and not answered yet, oldest first: a worker answers in the order it was sent.
    private(set) var inFlight = FIFOQueue<SentCall>()
    /// How many calls have been sent to it in its life (for `maxTasksPerChild`).
    private(set) var callsSent = 0

    private var socket: Int32
    private var errorOutput: Int32
    /// Framed messages waiting to be written, and how much of them is written already.
    private var outgoing: [UInt8] = []
    private var outgoingWritten = 0
    private var writingSideClosed = false
    private var incoming: FrameBuffer
    /// Where `recv` puts bytes before they join `incoming`; allocated once, reused.
    private var receiveBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// The last few kilobytes the worker wrote to its standard error.
    private var errorTail = OutputTail(capacity: 4096)
    /// Its exit status has been collected (the process is gone), and how it ended.
    private var isCollected = false
    private var termination: ProcessTermination?

    init(_ started: WorkerLaunch.Started, startDeadline: Deadline, messageLimit: Int) {
        incoming = FrameBuffer(limit: messageLimit)
        pid = started.pid
        socket = started.socket
        errorOutput = started.errorOutput
        state = .starting(deadline: startDeadline)
    }

    deinit {
        // `finish` closes them; this is only a safety net.
        if socket >= 0 { close(socket) }
        if errorOutput >= 0 { close(errorOutput) }
    }

    var isRetiring: Bool { if case .retiring = state { true } else { false } }

    // MARK: Sending

    /// Queues `message` and writes as much as the socket takes now; `poll` says when it
    /// takes the rest.
    func send(_ message: ParentMessage) {
        message.write(to: &outgoing)
        writeOutgoing()
    }

    /// Sends a call and remembers it until its reply comes.
    func send(_ call: any ProcessCall, callID: UInt64) {
        inFlight.append(SentCall(callID: callID, call: call))
        callsSent += 1
        send(.run(callID: callID, task: call.taskName, shape: call.shape, input: call.input))
    }

    /// The oldest call in flight, now answered.
    func takeAnsweredCall() -> SentCall? { inFlight.popFirst() }

    /// Takes back every call in flight (the worker died; they will never be answered).
    func takeAllCallsInFlight() -> [SentCall] { inFlight.removeAll() }

    /// Bytes are waiting to be written: `poll` should watch for the socket being writable.
    var hasOutgoingBytes: Bool { outgoingWritten < outgoing.count }

    /// Writes what the socket accepts without blocking. Once everything is written to a
    /// retiring worker, closes the stream's writing side.
    func writeOutgoing() {
        while outgoingWritten < outgoing.count, socket >= 0 {
            let written = outgoing.withUnsafeBytes { bytes in
                sendWithoutSignal(socket, bytes.baseAddress! + outgoingWritten, bytes.count - outgoingWritten)
            }
            if written > 0 {
                outgoingWritten += written
            } else if written < 0 && errno == EINTR {
                continue
            } else if written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                return  // the socket is full; poll tells us when it drains
            } else {
                // EPIPE or ECONNRESET: the worker is gone. Reading will report the end of
                // its stream, which is where a death is handled; drop what cannot be sent.
                break
            }
        }
        outgoing.removeAll(keepingCapacity: true)
        outgoingWritten = 0
        if isRetiring, !writingSideClosed, socket >= 0 {
            shutdown(socket, Int32(SHUT_WR))
            writingSideClosed = true
        }
    }

    /// Retires the worker: once the calls already sent are written, the parent closes its
    /// side of the stream for writing. The worker runs those calls, reads the end of the
    /// stream, and exits. (Python sends a `None` sentinel through the call queue instead.)
    func retire() {
        guard !isRetiring else { return }
        state = .retiring
        writeOutgoing()
    }

    // MARK: Receiving

    /// What reading the socket produced.
    enum Received {
        /// Zero or more complete messages.
        case messages([WorkerMessage])
        /// The stream ended: the worker closed it, which means it is exiting (or has died).
        case endOfStream
        /// Bytes that do not follow the protocol.
        case malformed(MalformedMessage)
    }

    /// Reads what has arrived and cuts it into messages.
    func receive() -> Received {
        var messages: [WorkerMessage] = []
        while true {
            let count = receiveBuffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                receiveBuffer.withUnsafeBytes { incoming.append(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                do {
                    while let body = try incoming.nextFrame() { messages.append(try WorkerMessage(body: body)) }
                } catch let error as MalformedMessage {
                    return .malformed(error)
                } catch {
                    return .malformed(MalformedMessage(detail: "\(error)"))
                }
                if count < receiveBuffer.count { break }  // probably drained; poll tells us about more
            } else if count < 0 && errno == EINTR {
                continue
            } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                break
            } else {
                // 0 bytes: the end of the stream. (An error such as ECONNRESET means the same.)
                // Messages that arrived before it still count: hand them over first.
                return messages.isEmpty ? .endOfStream : .messages(messages)
            }
        }
        return .messages(messages)
    }

    // MARK: The error stream

    /// Reads what the worker wrote to its standard error (and output), keeps the end of it,
    /// and hands it to `forwarder` (for the parent's standard error) when given.
    func readErrorOutput(forwardTo forwarder: OutputForwarder?) {
        guard errorOutput >= 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(errorOutput, $0.baseAddress, $0.count) }
            if count > 0 {
                chunk.withUnsafeBytes { bytes in
                    let received = UnsafeRawBufferPointer(rebasing: bytes[..<count])
                    errorTail.append(received)
                    forwarder?.forward(received)
                }
            } else if count < 0 && errno == EINTR {
                continue
            } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                return
            } else {
                close(errorOutput)  // end of the stream (or an error): nothing more will come
                errorOutput = -1
                return
            }
        }
    }

    // MARK: Polling

    /// The descriptors to watch: the socket (readable; writable while bytes wait to be sent)
    /// and the error pipe while it is open.
    func pollDescriptors() -> [pollfd] {
        var descriptors: [pollfd] = []
        if socket >= 0 {
            let events = POLLIN | (hasOutgoingBytes ? POLLOUT : 0)
            descriptors.append(pollfd(fd: socket, events: Int16(events), revents: 0))
        }
        if errorOutput >= 0 {
            descriptors.append(pollfd(fd: errorOutput, events: Int16(POLLIN), revents: 0))
        }
        return descriptors
    }

    func isSocket(_ descriptor: Int32) -> Bool { descriptor == socket }

    // MARK: The end

    /// Whether the process has ended; if it has, its exit status is collected now. Never
    /// waits. This is how the manager notices a worker that ended while its socket stays
    /// open: a program its task started may hold a copy of the socket, and then the end of
    /// the stream does not come until that program ends too.
    func hasEnded() -> Bool {
        if isCollected { return true }
        guard case .ended(let termination) = WorkerLaunch.collectIfEnded(pid) else { return false }
        isCollected = true
        self.termination = termination
        return true
    }

    /// Sends `signal` to the process, unless it is collected already (its pid may then belong
    /// to another process).
    func send(signal: Int32) {
        if !isCollected { kill(pid, signal) }
    }

    /// Collects the worker's exit status (killing it if it has not ended within `grace`),
    /// reads the rest of its error output and closes its descriptors. Call it once the stream
    /// has ended, once `hasEnded()` said so, or after killing the worker.
    func finish(grace: Duration, forwardTo forwarder: OutputForwarder?) -> ProcessTermination? {
        if !isCollected {
            termination = WorkerLaunch.reap(pid, grace: grace)
            isCollected = true
        }
        // Now that the process is gone, its error pipe holds all it will ever hold.
        readErrorOutput(forwardTo: forwarder)
        if socket >= 0 { close(socket); socket = -1 }
        if errorOutput >= 0 { close(errorOutput); errorOutput = -1 }
        return termination
    }

    /// The end of the worker's error output, as text.
    var standardErrorTail: String { errorTail.text }
}

/// The last `capacity` bytes of a stream (for a dead worker's error message).
struct OutputTail {
    let capacity: Int
    private var bytes: [UInt8] = []

    init(capacity: Int) { self.capacity = capacity }

    mutating func append(_ received: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: received)
        // Trim only once it is twice too long, so trimming costs O(1) per byte on average.
        if bytes.count > 2 * capacity { bytes.removeFirst(bytes.count - capacity) }
    }

    /// The kept bytes as text, starting at a line boundary when the start was cut off.
    var text: String {
        var kept = bytes.suffix(capacity)
        if bytes.count > capacity, let newline = kept.firstIndex(of: UInt8(ascii: "\n")) {
            kept = kept[(newline + 1)...]
        }
        return String(decoding: kept, as: UTF8.self)
    }
}
