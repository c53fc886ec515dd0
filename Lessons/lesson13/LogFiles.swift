// What lesson 13 works with: a log file written from many threads, a log read lazily line by
// line, and the parsing of one access-log line.

import ConcurrentFutures
import LessonSupport
import SystemPlatform  // open, write, read

/// Milliseconds with one decimal, right-aligned: "  12.3".
func milliseconds(_ duration: Duration, width: Int = 7) -> String {
    let tenths = Int((duration.inMilliseconds * 10).rounded())
    let text = "\(tenths / 10).\(tenths % 10)"
    return String(repeating: " ", count: max(0, width - text.count)) + text
}

/// A log file that any thread may append lines to: each line is one `write` to a file opened
/// with `O_APPEND`, so lines from different threads never mix.
final class LogFile: Sendable {
    let path: String
    private let descriptor: Int32
    private let start = ContinuousClock.now

    init(path: String) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        precondition(descriptor >= 0, "cannot create \(path)")
    }

    deinit { close(descriptor) }

    /// Appends one line, stamped with the time `at` (milliseconds since the log was opened).
    func write(_ message: String, at time: ContinuousClock.Instant = .now) {
        let line = Array("+\(milliseconds(time - start)) ms  \(message)\n".utf8)
        _ = line.withUnsafeBytes { SystemPlatform.write(descriptor, $0.baseAddress, $0.count) }
    }

    /// The pool's observer: one line per event, stamped with the event's own time.
    @Sendable func record(_ event: TaskEvent) {
        let task = "task \(event.taskID)" + (event.label.map { " (\($0))" } ?? "")
        switch event.kind {
        case .submitted: write("\(task) submitted", at: event.time)
        case .started(let worker): write("\(task) started on \(worker)", at: event.time)
        case .finished(.returned): write("\(task) finished", at: event.time)
        case .finished(.threw(let error)): write("\(task) FAILED: \(error)", at: event.time)
        case .finished(.cancelled): write("\(task) cancelled", at: event.time)
        }
    }
}

/// The lines of the file at `path`, read lazily in 64 KB blocks. `linesRead` counts how many
/// have been handed out so far, so the lesson can see how far ahead of the work the reading is.
struct FileLines: Sequence {
    let path: String
    var linesRead = LockedValue(0)

    func makeIterator() -> Iterator { Iterator(path: path, linesRead: linesRead) }

    final class Iterator: IteratorProtocol {
        private let descriptor: Int32
        private let linesRead: LockedValue<Int>
        private var buffer: [UInt8] = []
        private var position = 0
        private var atEnd = false

        init(path: String, linesRead: LockedValue<Int>) {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            self.linesRead = linesRead
            atEnd = descriptor < 0
        }

        deinit { if descriptor >= 0 { close(descriptor) } }

        func next() -> String? {
            while true {
                if let newline = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[position..<newline], as: UTF8.self)
                    position = newline + 1
                    linesRead.withLock { $0 += 1 }
                    return line
                }
                if atEnd { return nil }
                buffer.removeFirst(position)
                position = 0
                var block = [UInt8](repeating: 0, count: 65_536)
                let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count <= 0 { atEnd = true } else { buffer += block[..<count] }
            }
        }
    }
}

/// One line of the access log, parsed, with the client's address replaced by a pseudonym.
struct LogEntry: Sendable {
    var client: UInt64
    var status: Int
    var bytes: Int
}

/// Parses `10.0.3.17 - "GET /page/12 HTTP/1.1" 200 4096`: the client address, made anonymous
/// with a deliberately slow keyed hash (the real CPU work of each line), then the status and
/// the size at the end.
func parseLogLine(_ line: String) -> LogEntry {
    let fields = line.split(separator: " ")
    guard fields.count >= 3, let status = Int(fields[fields.count - 2]), let bytes = Int(fields[fields.count - 1]) else {
        return LogEntry(client: 0, status: 0, bytes: 0)
    }
    var pseudonym: UInt64 = 0x9E37_79B9_7F4A_7C15
    for _ in 0..<20 {
        for byte in fields[0].utf8 { pseudonym = (pseudonym ^ UInt64(byte)) &* 0x100_0000_01B3 }
    }
    return LogEntry(client: pseudonym, status: status, bytes: bytes)
}

/// Writes an access log of `count` lines to `path`.
func writeAccessLog(_ path: String, lines count: Int) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    precondition(descriptor >= 0, "cannot create \(path)")
    defer { close(descriptor) }
    var text: [UInt8] = []
    var seed: UInt64 = 42
    for index in 0..<count {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let roll = Int(seed >> 33)
        let status = roll % 50 == 0 ? 500 : (roll % 10 == 0 ? 404 : 200)
        let size = status == 200 ? 1_000 + roll % 9_000 : 120
        text += "10.0.\(index % 256).\(roll % 256) - \"GET /page/\(roll % 1000) HTTP/1.1\" \(status) \(size)\n".utf8
        if text.count > 1 << 20 {
            _ = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            text.removeAll(keepingCapacity: true)
        }
    }
    _ = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}

