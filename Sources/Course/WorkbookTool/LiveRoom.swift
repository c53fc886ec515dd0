import ConcurrentFutures  // LockedValue
import Foundation
import WorkbookCourse

/// What the teacher's `workbook serve` knows: the latest report of every learner in the room,
/// when each last checked, and what happened lately. Every report it takes is also written to
/// the reports folder, one file per learner, so that `workbook class DIR` reads the same room
/// afterwards (or on another machine).
///
///     let room = try LiveRoom(folder: "reports")      // picks up the reports already there
///     try room.receive(report, seat: "3fa9c1d2")     // writes reports/ada-3fa9c1d2.json
///     room.snapshot().seats.count                     // 1
///
/// Reports arrive on the server's threads, many at once: the state and the folder change under
/// one lock, so the folder always holds what the room shows.
final class LiveRoom: Sendable {
    /// One learner's place: the file their reports go to, the latest report, when it came.
    struct Seat: Sendable {
        var file: String
        var report: LearnerReport
        var lastSeen: Date
    }

    /// A line for the teacher: a learner checked, a report was refused.
    struct Event: Sendable {
        /// Counts from 1 in the order the events happened.
        var number = 0
        var time: Date
        var text: String
    }

    /// Seats beyond this are refused: a stranger with the code cannot fill the disk.
    static let largestRoom = 200
    /// Events kept for the screen.
    static let eventsKept = 50

    let folder: String
    private let state = LockedValue(State())

    private struct State {
        var seats: [String: Seat] = [:]  // by file name
        /// The file of each seat this run has written (a learner who joins again under another
        /// name keeps the seat: the old file goes).
        var fileOfSeat: [String: String] = [:]
        var events: [Event] = []
        /// Moves on with every change: the screen is drawn again when it has.
        var changes = 0

        mutating func append(_ event: Event) {
            var event = event
            event.number = (events.last?.number ?? 0) + 1
            events.append(event)
            if events.count > LiveRoom.eventsKept { events.removeFirst(events.count - LiveRoom.eventsKept) }
            changes += 1
        }
    }

    /// Opens `folder` (creating it if needed) and takes in the reports already there, each as
    /// last seen when its file was written.
    init(folder: String) throws(InputError) {
        self.folder = folder
        let files = FileManager.default
        var isFolder: ObjCBool = false
        if files.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw InputError("\(folder) is a file: --folder needs a folder for the reports") }
        } else {
            do {
                try files.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw InputError("cannot make the folder \(folder): \(fileSystemReason(error) ?? "\(error)")")
            }
        }
        // A folder without reports is a room nobody has joined yet, not an error.
        guard let handedIn = try? ClassFolder.read(folder) else { return }
        state.withLock { state in
            for entry in handedIn.reports {
                guard let report = try? entry.report.sanitizedForTheRoom() else { continue }
                let path = (folder as NSString).appendingPathComponent(entry.file)
                let written = (try? files.attributesOfItem(atPath: path)[.modificationDate]) as? Date
                state.seats[entry.file] = Seat(file: entry.file, report: report, lastSeen: written ?? Date())
                if let seat = Self.seat(ofFile: entry.file) { state.fileOfSeat[seat] = entry.file }
            }
            state.changes += 1
        }
    }

    /// The seat in a file name this room wrote ("ada-3fa9c1d2.json" → "3fa9c1d2").
    static func seat(ofFile file: String) -> String? {
        guard file.hasSuffix(".json") else { return nil }
        let stem = file.dropLast(".json".count)
        guard let dash = stem.lastIndex(of: "-") else { return nil }
        let seat = String(stem[stem.index(after: dash)...])
        return SafeText.isSeat(seat) ? seat : nil
    }

    /// Takes a learner's (sanitized) report: writes it to the learner's file and shows it.
    /// Returns the file's name.
    @discardableResult
    func receive(_ report: LearnerReport, seat: String, at time: Date = Date()) throws(InputError) -> String {
        let file = SafeText.fileName(name: report.learner, seat: seat)
        let data: Data
        do {
            data = try JSONEncoder.workbook.encode(report)
        } catch {
            throw InputError("the report cannot be written as JSON")
        }
        let result: Result<Void, InputError> = state.withLock { state in
            let previous = state.seats[file]?.report ?? state.fileOfSeat[seat].flatMap { state.seats[$0]?.report }
            if previous == nil && state.seats.count >= Self.largestRoom {
                return .failure(InputError("the room is full (\(Self.largestRoom) learners)"))
            }
            do {
                try data.write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(file)), options: .atomic)
            } catch {
                return .failure(InputError("the teacher's machine cannot write the report (\(fileSystemReason(error) ?? "\(error)"))"))
            }
            if let old = state.fileOfSeat[seat], old != file {
                state.seats[old] = nil
                try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(old))
            }
            state.fileOfSeat[seat] = file
            state.seats[file] = Seat(file: file, report: report, lastSeen: time)
            state.append(Event(time: time, text: Self.change(from: previous, to: report)))
            return .success(())
        }
        try result.get()
        return file
    }

    /// Notes something for the teacher (a refused report).
    func note(_ text: String, at time: Date = Date()) {
        state.withLock { $0.append(Event(time: time, text: text)) }
    }

    /// The seats (by file name; the grid orders them), the latest events (newest last), and the
    /// count of changes so far.
    func snapshot() -> (seats: [Seat], events: [Event], changes: Int) {
        state.withLock { state in
            (state.seats.values.sorted { $0.file < $1.file }, state.events, state.changes)
        }
    }

    /// What changed for the teacher's event line: "ada joined: 4/21 done" or "ada: 05a ✗ failing".
    static func change(from previous: LearnerReport?, to report: LearnerReport) -> String {
        guard let previous else { return "\(report.learner) joined: \(report.done)/\(report.total) done, now at \(report.current)" }
        for entry in report.exercises {
            let before = previous.exercises.first { $0.id == entry.id }
            if before?.status != entry.status || before?.attempts != entry.attempts {
                let tries = entry.attempts == 1 ? "1 try" : "\(entry.attempts) tries"
                return "\(report.learner): \(entry.id) \(entry.status.mark) \(entry.status.rawValue) (\(tries)), \(report.done)/\(report.total) done"
            }
        }
        return "\(report.learner): no change, \(report.done)/\(report.total) done, now at \(report.current)"
    }
}
