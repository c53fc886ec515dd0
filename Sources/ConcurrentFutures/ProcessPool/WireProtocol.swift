// The conversation between the parent and one worker process, over their socket.
//
//   parent                                         worker
//     |  <──────────────────────────────  ready       (the worker hook is running)
//     |  initialize(task, input)  ─────────────>      (only when the pool has an initializer)
//     |  <────────────────────  initializerFailed     (then the worker exits)
//     |  run(callID, task, shape, input)  ─────>
//     |  run(callID, task, shape, input)  ─────>      (at most two calls are in flight)
//     |  <──────────────────────────  finished(callID, startedAt, reply)
//     |  end of stream (shutdown, or maxTasksPerChild reached)  ─────>  the worker exits
//
// Each message is one *frame*: a 4-byte little-endian length, then that many bytes of body.
// A stream socket delivers bytes, not messages, so the length is what tells the reader where
// one message ends and the next begins. The body is a kind byte and the fields of that kind;
// inputs and outputs inside it are in the format of `BinaryEncoder`.
//
// Python's pool sends pickled `_CallItem`s and `_ResultItem`s through `multiprocessing`
// queues, which frame each pickle with a length prefix the same way.

/// What the parent sends to a worker.
enum ParentMessage: Equatable {
    /// Run the pool's initializer task, before any call.
    case initialize(task: String, input: [UInt8])
    /// Run one call of a task.
    case run(callID: UInt64, task: String, shape: CallShape, input: [UInt8])
}

/// One input, or a chunk of inputs of `map(chunkSize:)` (an array) with outputs to match.
enum CallShape: UInt8 {
    case single = 1
    case chunk = 2
}

/// What a worker sends to the parent.
enum WorkerMessage: Equatable {
    /// The worker hook has started: this process really is a pool worker.
    case ready
    /// The initializer threw; the worker exits after sending this.
    case initializerFailed(RemoteFailure)
    /// A call has ended. `startedAt` is when the worker began it, in nanoseconds of
    /// `CLOCK_MONOTONIC`, a clock that every process of the machine shares.
    case finished(callID: UInt64, startedAt: Int64, reply: CallReply)
}

/// How a call ended, as the worker reports it.
enum CallReply: Equatable {
    /// The output (an array of outputs for a chunk).
    case returned([UInt8])
    /// The task threw (or its input or output could not be coded).
    case threw(RemoteFailure)
    /// A chunk stopped at an error: the outputs before it, then the error.
    case stoppedEarly(outputs: [UInt8], failure: RemoteFailure)
}

/// An error from the worker, reduced to what can be sent: its type name and description.
struct RemoteFailure: Equatable {
    let typeName: String
    let message: String

    init(typeName: String, message: String) {
        self.typeName = typeName
        self.message = message
    }

    /// The error's type name and description; a description longer than `atMost` bytes is
    /// cut there (an initializer's error must fit in one message; a call's error that does not
    /// is replaced by an `.outputTooLarge` error before it is sent).
    init(_ error: any Error, atMost limit: Int = .max) {
        typeName = String(describing: type(of: error))
        var message: String
        switch error {
        case is EncodingError, is DecodingError: message = describeCodingError(error)
        case let error as ProcessPoolError: message = error.message  // without the type name again
        default: message = String(describing: error)
        }
        if message.utf8.count > limit {
            message = String(decoding: message.utf8.prefix(limit), as: UTF8.self) + "..."
        }
        self.message = message
    }
}

/// A message that does not follow the protocol: a sign that the two sides are different
/// programs, or that something wrote garbage on the socket.
struct MalformedMessage: Error, CustomStringConvertible {
    let detail: String
    var description: String { "malformed message: \(detail)" }
}

// MARK: - Writing

extension ParentMessage {
    /// Appends this message, framed, to `buffer`.
    func write(to buffer: inout [UInt8]) {
        let frame = buffer.beginFrame()
        switch self {
        case .initialize(let task, let input):
            buffer.appendField(1 as UInt8)
            buffer.appendField(task)
            buffer.appendField(input)
        case .run(let callID, let task, let shape, let input):
            buffer.appendField(2 as UInt8)
            buffer.appendField(callID)
            buffer.appendField(task)
            buffer.appendField(shape.rawValue)
            buffer.appendField(input)
        }
        buffer.endFrame(frame)
    }
}

extension WorkerMessage {
    /// Appends this message, framed, to `buffer`.
    func write(to buffer: inout [UInt8]) {
        let frame = buffer.beginFrame()
        switch self {
        case .ready:
            buffer.appendField(1 as UInt8)
        case .initializerFailed(let failure):
            buffer.appendField(2 as UInt8)
            buffer.appendField(failure)
        case .finished(let callID, let startedAt, let reply):
            buffer.appendField(3 as UInt8)
            buffer.appendField(callID)
            buffer.appendField(UInt64(bitPattern: startedAt))
            switch reply {
            case .returned(let output):
                buffer.appendField(1 as UInt8)
                buffer.appendField(output)
            case .threw(let failure):
                buffer.appendField(2 as UInt8)
                buffer.appendField(failure)
            case .stoppedEarly(let outputs, let failure):
                buffer.appendField(3 as UInt8)
                buffer.appendField(outputs)
                buffer.appendField(failure)
            }
        }
        buffer.endFrame(frame)
    }
}

/// Building frames at the end of a byte buffer, in place (messages are appended to a
/// connection's outgoing buffer, which may already hold other frames).
extension [UInt8] {
    /// Appends a length placeholder; returns where the frame starts, for `endFrame`.
    fileprivate mutating func beginFrame() -> Int {
        let start = count
        append(contentsOf: [0, 0, 0, 0])
        return start
    }

    /// Writes the body's real length into the placeholder of the frame that starts at `start`.
    fileprivate mutating func endFrame(_ start: Int) {
        let length = UInt32(count - start - 4)
        for index in 0..<4 { self[start + index] = UInt8(truncatingIfNeeded: length >> (8 * index)) }
    }

    fileprivate mutating func appendField(_ byte: UInt8) { append(byte) }

    /// An integer, least significant byte first (little-endian), whatever the machine's order.
    fileprivate mutating func appendField<Integer: FixedWidthInteger>(_ value: Integer) {
        for index in 0..<MemoryLayout<Integer>.size { append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }

    /// A length-prefixed run of bytes.
    fileprivate mutating func appendField(_ data: [UInt8]) {
        appendField(UInt32(data.count))
        append(contentsOf: data)
    }

    fileprivate mutating func appendField(_ string: String) { appendField(Array(string.utf8)) }

    fileprivate mutating func appendField(_ failure: RemoteFailure) {
        appendField(failure.typeName)
        appendField(failure.message)
    }
}

// MARK: - Sizes

/// The largest body a frame may have: 1 GiB. The sending side checks it, so that a call
/// whose input or output is larger fails alone, with an error that says so
/// (`ProcessPoolError(.inputTooLarge)`, `.outputTooLarge`); the receiving side checks it too,
/// because a larger length means the stream is not what we think it is, and refusing it beats
/// trying to allocate gigabytes. (The length field could hold up to 4 GiB.)
let maximumFrameLength = 1 << 30

extension ParentMessage {
    /// The body length of `.run` for the task `task` with an input of `inputCount` bytes,
    /// without building it: kind, call number, task name, shape, input.
    static func runBodyLength(task: String, inputCount: Int) -> Int {
        1 + 8 + (4 + task.utf8.count) + 1 + (4 + inputCount)
    }

    /// The body length of `.initialize`: kind, task name, input.
    static func initializeBodyLength(task: String, inputCount: Int) -> Int {
        1 + (4 + task.utf8.count) + (4 + inputCount)
    }
}

extension WorkerMessage {
    /// The length of this message's body, without building it (see `write(to:)`).
    var bodyLength: Int {
        switch self {
        case .ready:
            return 1
        case .initializerFailed(let failure):
            return 1 + failure.fieldLength
        case .finished(_, _, let reply):
            let header = 1 + 8 + 8 + 1
            switch reply {
            case .returned(let output): return header + 4 + output.count
            case .threw(let failure): return header + failure.fieldLength
            case .stoppedEarly(let outputs, let failure): return header + 4 + outputs.count + failure.fieldLength
            }
        }
    }
}

extension RemoteFailure {
    /// Its two length-prefixed strings.
    fileprivate var fieldLength: Int { 4 + typeName.utf8.count + 4 + message.utf8.count }
}

// MARK: - Reading

extension ParentMessage {
    /// Decodes the body of one frame.
    init(body: ArraySlice<UInt8>) throws {
        var reader = FieldReader(body)
        switch try reader.byte() {
        case 1:
            self = .initialize(task: try reader.string(), input: try reader.byteField())
        case 2:
            let callID = try reader.uint64()
            let task = try reader.string()
            guard let shape = CallShape(rawValue: try reader.byte()) else {
                throw MalformedMessage(detail: "unknown call shape")
            }
            self = .run(callID: callID, task: task, shape: shape, input: try reader.byteField())
        case let kind:
            throw MalformedMessage(detail: "unknown parent message kind \(kind)")
        }
        try reader.expectEnd()
    }
}

extension WorkerMessage {
    /// Decodes the body of one frame.
    init(body: ArraySlice<UInt8>) throws {
        var reader = FieldReader(body)
        switch try reader.byte() {
        case 1:
            self = .ready
        case 2:
            self = .initializerFailed(try reader.failure())
        case 3:
            let callID = try reader.uint64()
            let startedAt = Int64(bitPattern: try reader.uint64())
            let reply: CallReply
            switch try reader.byte() {
            case 1: reply = .returned(try reader.byteField())
            case 2: reply = .threw(try reader.failure())
            case 3: reply = .stoppedEarly(outputs: try reader.byteField(), failure: try reader.failure())
            case let kind: throw MalformedMessage(detail: "unknown reply kind \(kind)")
            }
            self = .finished(callID: callID, startedAt: startedAt, reply: reply)
        case let kind:
            throw MalformedMessage(detail: "unknown worker message kind \(kind)")
        }
        try reader.expectEnd()
    }
}

/// Reads the fields of one frame's body, in the order `FrameWriter` wrote them.
private struct FieldReader {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, bytes.endIndex - position >= count else {
            throw MalformedMessage(detail: "a field runs past the end of its frame")
        }
        defer { position += count }
        return bytes[position..<position + count]
    }

    mutating func byte() throws -> UInt8 { try take(1).first! }

    mutating func uint64() throws -> UInt64 {
        try take(8).reversed().reduce(0) { ($0 << 8) | UInt64($1) }
    }

    mutating func byteField() throws -> [UInt8] {
        Array(try lengthPrefixed())
    }

    mutating func string() throws -> String {
        String(decoding: try lengthPrefixed(), as: UTF8.self)
    }

    private mutating func lengthPrefixed() throws -> ArraySlice<UInt8> {
        let length = try take(4).reversed().reduce(0) { ($0 << 8) | Int($1) }
        return try take(length)
    }

    mutating func failure() throws -> RemoteFailure {
        RemoteFailure(typeName: try string(), message: try string())
    }

    func expectEnd() throws {
        guard position == bytes.endIndex else { throw MalformedMessage(detail: "extra bytes after the last field") }
    }
}

/// Bytes received from a stream socket, cut into frames as they become complete. The parent
/// reads without blocking, so a read can end anywhere: in the middle of a length, in the
/// middle of a body, or after several frames.
struct FrameBuffer {
    private var bytes: [UInt8] = []
    /// Where the first frame not yet taken begins.
    private var start = 0
    /// The longest body a frame may announce.
    let limit: Int

    init(limit: Int = maximumFrameLength) { self.limit = limit }

    mutating func append(_ received: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: received)
    }

    /// The body of the next complete frame, or `nil` if it has not fully arrived yet.
    mutating func nextFrame() throws -> ArraySlice<UInt8>? {
        guard bytes.count - start >= 4 else { return compact() }
        let length = bytes[start..<start + 4].reversed().reduce(0) { ($0 << 8) | Int($1) }
        guard length <= limit else {
            throw MalformedMessage(detail: "a frame announces \(length) bytes")
        }
        guard bytes.count - start - 4 >= length else { return compact() }
        defer { start += 4 + length }
        return bytes[start + 4..<start + 4 + length]
    }

    /// Drops the frames already taken, so the buffer does not grow forever. Returns `nil`.
    private mutating func compact() -> ArraySlice<UInt8>? {
        if start > 0 {
            bytes.removeFirst(start)
            start = 0
        }
        return nil
    }

    /// Bytes received that do not form a complete frame yet.
    var isEmpty: Bool { bytes.count == start }
}
