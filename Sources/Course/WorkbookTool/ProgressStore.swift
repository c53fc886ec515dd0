import Foundation
import WorkbookCourse

/// What the tool remembers about one exercise.
struct ExerciseRecord: Codable, Equatable {
    /// Checks run on the learner's own code (a check of the untouched stub does not count).
    var attempts = 0
    /// Hint levels shown so far (0 to 3).
    var hintsShown = 0
    var firstAttemptAt: Date?
    var firstPassedAt: Date?
    /// Attempts it took to pass the first time.
    var attemptsToPass: Int?
    /// The fingerprint of the file the last check ran on, and what it said.
    var lastCheckedFingerprint: String?
    var lastPassed: Bool?
    /// The property that failed last (its title), for the teacher's view.
    var lastFailure: String?
}

/// The learner's progress, kept in `.workbook/progress.json` (see `Workspace.progressFile`).
struct ProgressState: Codable, Equatable {
    var version = 1
    /// The exercise `check`, `watch`, `hint` and `solution` use when no id is given.
    var current: String?
    var exercises: [String: ExerciseRecord] = [:]

    subscript(id: String) -> ExerciseRecord {
        get { exercises[id] ?? ExerciseRecord() }
        set { exercises[id] = newValue }
    }
}

/// Where an exercise stands.
enum ExerciseStatus: String, Codable, Equatable {
    /// The file is the stub as shipped.
    case notStarted = "not started"
    /// Changed since its last check (or never checked).
    case started = "started"
    /// The last check of this very file failed.
    case failing = "failing"
    /// The last check of this very file passed.
    case done = "done"

    var mark: String {
        switch self {
        case .notStarted: "·"
        case .started: "~"
        case .failing: "✗"
        case .done: "✓"
        }
    }

    func label(_ style: TextStyle) -> String {
        switch self {
        case .notStarted: style.dim("not started")
        case .started: style.yellow("started (not checked yet)")
        case .failing: style.red("failing")
        case .done: style.green("done")
        }
    }
}

struct ProgressStore {
    let workspace: Workspace
    var state: ProgressState

    init(workspace: Workspace) throws {
        self.workspace = workspace
        if let data = FileManager.default.contents(atPath: workspace.progressFile), !data.isEmpty {
            do {
                state = try JSONDecoder.workbook.decode(ProgressState.self, from: data)
            } catch {
                throw InputError("the progress file \(workspace.progressFile) is damaged (\(error.localizedDescription)); move it away to start afresh")
            }
        } else {
            state = ProgressState()
        }
    }

    func save() throws {
        let directory = (workspace.progressFile as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let data = try JSONEncoder.workbook.encode(state)
        try data.write(to: URL(fileURLWithPath: workspace.progressFile), options: .atomic)
    }

    func status(of exercise: Exercise) -> ExerciseStatus {
        if workspace.isUntouched(exercise) { return .notStarted }
        let record = state[exercise.id]
        guard let checked = record.lastCheckedFingerprint, checked == workspace.fingerprint(of: exercise) else {
            return .started
        }
        return record.lastPassed == true ? .done : .failing
    }

    var doneCount: Int { Course.exercises.filter { status(of: $0) == .done }.count }

    /// The exercise to work on: the one chosen (`go`, `next`), else the first not done.
    var current: Exercise {
        if let id = state.current, let exercise = Course.exercise(id) { return exercise }
        return Course.exercises.first { status(of: $0) != .done } ?? Course.exercises.last!
    }

    /// The first exercise after `exercise` that is not done (wrapping around), if any.
    func next(after exercise: Exercise) -> Exercise? {
        let all = Course.exercises
        let start = all.firstIndex(of: exercise) ?? 0
        for offset in 1...all.count {
            let candidate = all[(start + offset) % all.count]
            if status(of: candidate) != .done { return candidate }
        }
        return nil
    }

    /// Notes a check's result.
    mutating func recordCheck(of exercise: Exercise, passed: Bool, failedProperty: String?, fingerprint: String?) {
        var record = state[exercise.id]
        // Whole seconds: what the JSON file keeps (ISO 8601), so that it reads back the same.
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        if !workspace.isUntouched(exercise) {
            record.attempts += 1
            if record.firstAttemptAt == nil { record.firstAttemptAt = now }
            if passed && record.firstPassedAt == nil {
                record.firstPassedAt = now
                record.attemptsToPass = record.attempts
            }
        }
        record.lastCheckedFingerprint = fingerprint
        record.lastPassed = passed
        record.lastFailure = passed ? nil : failedProperty
        state[exercise.id] = record
    }
}

extension JSONEncoder {
    static var workbook: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension JSONDecoder {
    static var workbook: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
