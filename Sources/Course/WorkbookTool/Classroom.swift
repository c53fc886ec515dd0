import Foundation
import WorkbookCourse

/// A learner's progress, as `workbook report --json` writes it and `workbook class` reads it.
struct LearnerReport: Codable, Equatable {
    struct Entry: Codable, Equatable {
        var id: String
        var title: String
        var status: ExerciseStatus
        var attempts: Int
        var hintsShown: Int
        var firstAttemptAt: Date?
        var firstPassedAt: Date?
        /// From the first check to the first pass.
        var secondsToFirstPass: Double?
        var attemptsToPass: Int?
        var lastFailure: String?
    }

    var format = "workbook-report"
    var version = 1
    var learner: String
    var generatedAt: Date
    var current: String
    var done: Int
    var total: Int
    var exercises: [Entry]

    init(store: ProgressStore, name: String, now: Date = Date()) {
        learner = name
        generatedAt = now
        current = store.current.id
        done = store.doneCount
        total = Course.exercises.count
        exercises = Course.exercises.map { exercise in
            let record = store.state[exercise.id]
            var seconds: Double?
            if let first = record.firstAttemptAt, let passed = record.firstPassedAt { seconds = passed.timeIntervalSince(first) }
            return Entry(
                id: exercise.id, title: exercise.title, status: store.status(of: exercise), attempts: record.attempts,
                hintsShown: record.hintsShown, firstAttemptAt: record.firstAttemptAt, firstPassedAt: record.firstPassedAt,
                secondsToFirstPass: seconds, attemptsToPass: record.attemptsToPass, lastFailure: record.lastFailure)
        }
    }

    func rendered(style: TextStyle) -> String {
        var lines = [style.bold("Progress of \(learner)") + "   " + progressBar(done: done, total: total, style: style) + " done", ""]
        lines.append(style.dim(pad("id", 5) + pad("exercise", 44) + pad("status", 13) + pad("tries", 7) + pad("hints", 7) + "first pass"))
        for entry in exercises {
            var firstPass = ""
            if let seconds = entry.secondsToFirstPass, let tries = entry.attemptsToPass {
                firstPass = "after \(duration(seconds)), \(tries) tr\(tries == 1 ? "y" : "ies")"
            }
            lines.append(pad(entry.id, 5) + pad(entry.title, 44) + pad(entry.status.label(style), 13)
                + pad("\(entry.attempts)", 7) + pad("\(entry.hintsShown)", 7) + firstPass)
        }
        lines.append("")
        lines.append(style.dim("For your teacher: swift run workbook report --json --output \(learner).json"))
        return lines.joined(separator: "\n")
    }
}

/// "42 s", "5 min", "2 h 10 min"
func duration(_ seconds: Double) -> String {
    if seconds < 60 { return "\(Int(seconds)) s" }
    if seconds < 3600 { return "\(Int(seconds / 60)) min" }
    return "\(Int(seconds / 3600)) h \(Int(seconds.truncatingRemainder(dividingBy: 3600) / 60)) min"
}

/// A folder of reports handed in (`workbook class DIR`): the reports it holds, and the files
/// that are not reports, each skipped with its reason rather than stopping the whole room view.
struct ClassFolder {
    /// A report and the name of its file.
    struct HandedIn {
        var file: String
        var report: LearnerReport
    }

    var reports: [HandedIn] = []
    /// One line per file skipped: "notes.txt: not a workbook report (not valid JSON)".
    var skipped: [String] = []

    /// A report is a few kilobytes; a bigger file is something else, and is not read.
    static let largestReport = 1 << 20

    /// Reads every file in `directory` (not hidden files, not subfolders).
    static func read(_ directory: String) throws -> ClassFolder {
        let files = FileManager.default
        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: directory, isDirectory: &isFolder) else {
            throw InputError("cannot read the folder \(directory): it does not exist")
        }
        guard isFolder.boolValue else { throw InputError("\(directory) is a file: `workbook class` reads a folder of reports") }
        let names: [String]
        do {
            names = try files.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw InputError("cannot read the folder \(directory): \(fileSystemReason(error) ?? "\(error)")")
        }
        var folder = ClassFolder()
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            switch readReport(at: path) {
            case .success(let report): folder.reports.append(HandedIn(file: name, report: report))
            case .failure(let reason): folder.skipped.append("\(name): \(reason.message)")
            }
        }
        guard !folder.reports.isEmpty else {
            throw InputError("no workbook reports in \(directory)" + (names.isEmpty ? " (the folder is empty)" : " (\(names.count) other file\(names.count == 1 ? "" : "s"))"))
        }
        return folder
    }

    /// One file: a report, or why it is not one.
    static func readReport(at path: String) -> Result<LearnerReport, InputError> {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            return .failure(InputError("a folder, not a report"))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= largestReport else { return .failure(InputError("not a workbook report (\(size / 1024) KB)")) }
        guard let data = FileManager.default.contents(atPath: path) else { return .failure(InputError("cannot be read")) }
        return decodeReport(data)
    }

    /// The bytes of a file (or of a request to the live room): a report, or why they are not one.
    static func decodeReport(_ data: Data) -> Result<LearnerReport, InputError> {
        // First what kind of file it is, then (for a report) whether it is whole.
        struct Kind: Decodable { var format: String? }
        guard let kind = try? JSONDecoder().decode(Kind.self, from: data) else {
            return .failure(InputError("not a workbook report (not valid JSON)"))
        }
        guard let format = kind.format else { return .failure(InputError("not a workbook report (no \"format\")")) }
        guard format == "workbook-report" else {
            return .failure(InputError("not a workbook report (its format is \"\(format)\")"))
        }
        do {
            return .success(try JSONDecoder.workbook.decode(LearnerReport.self, from: data))
        } catch {
            return .failure(InputError("a damaged workbook report (\(describe(error)))"))
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: "missing \"\(key.stringValue)\""
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            "bad value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .dataCorrupted?: "not valid JSON"
        default: "\(error)"
        }
    }
}

/// The room at a glance: who is where, and where most are stuck.
struct ClassReport {
    let reports: [LearnerReport]
    /// The file of each report, in the order of `reports` (to tell apart two reports that
    /// carry the same name).
    let files: [String]
    /// Files of the folder that were not reports.
    let skippedCount: Int

    init(reports: [LearnerReport], files: [String]? = nil, skippedCount: Int = 0) {
        self.reports = reports
        self.files = files ?? reports.map { "\($0.learner).json" }
        self.skippedCount = skippedCount
    }

    init(folder: ClassFolder) {
        self.init(reports: folder.reports.map(\.report), files: folder.reports.map(\.file), skippedCount: folder.skipped.count)
    }

    /// Names carried by more than one report, with their files: the same learner handed in
    /// twice, or two learners with one name (both took the login name `root` in a container).
    var sameNames: [(name: String, files: [String])] {
        let byName = Dictionary(grouping: zip(reports, files), by: { $0.0.learner })
        return byName.filter { $0.value.count > 1 }
            .map { (name: $0.key, files: $0.value.map(\.1).sorted()) }
            .sorted { $0.name < $1.name }
    }

    /// The status of exercise `id` for `report` (not started if the report does not list it).
    func status(_ report: LearnerReport, _ id: String) -> ExerciseStatus {
        report.exercises.first { $0.id == id }?.status ?? .notStarted
    }

    func rendered(style: TextStyle) -> String {
        (grid(style: style) + [""] + byExercise(style: style) + ["", stuckLine(style: style)]).joined(separator: "\n")
    }

    /// The header and one row of marks per student (what the live room always shows).
    func grid(style: TextStyle) -> [String] {
        let exercises = Course.exercises
        let duplicated = Set(sameNames.map(\.name))
        /// A learner's row: the name, and the file too when another report carries that name.
        func label(_ index: Int) -> String {
            let name = reports[index].learner
            return duplicated.contains(name) ? "\(name) [\(files[index])]" : name
        }
        let nameWidth = max(8, (reports.indices.map { label($0).count }.max() ?? 0) + 2)
        var header = "The room: \(reports.count) student\(reports.count == 1 ? "" : "s"), \(exercises.count) exercises"
        if skippedCount > 0 { header += style.dim("   (\(skippedCount) file\(skippedCount == 1 ? "" : "s") skipped, see below)") }
        var lines = [style.bold(header), ""]
        // The ids, written downwards: 0/5/a is 05a.
        let lead = String(repeating: " ", count: nameWidth + 15)
        for position in 0..<3 {
            lines.append(lead + exercises.map { String(Array($0.id)[position]) }.joined())
        }
        lines.append(style.dim(pad("student", nameWidth) + pad("done", 7) + pad("now at", 8)))
        let order = reports.indices.sorted { a, b in
            (reports[a].done, label(b)) > (reports[b].done, label(a))
        }
        for index in order {
            let report = reports[index]
            let marks = exercises.map { exercise -> String in
                let status = status(report, exercise.id)
                return switch status {
                case .done: style.green(status.mark)
                case .failing: style.red(status.mark)
                case .started: style.yellow(status.mark)
                case .notStarted: style.dim(status.mark)
                }
            }.joined()
            lines.append(pad(label(index), nameWidth) + pad("\(report.done)/\(report.total)", 7) + pad(report.current, 8) + marks)
        }
        lines.append(style.dim(String(repeating: " ", count: nameWidth + 15) + "✓ done  ✗ failing  ~ changed, unchecked  · not started"))
        for (name, files) in sameNames {
            lines.append(style.yellow("⚠ \(files.count) reports are named \"\(name)\" (\(files.joined(separator: ", "))):")
                + " one learner handed in twice, or several share a login name.")
            lines.append("  To set a name: swift run workbook report --json --name NAME --output NAME.json")
        }
        return lines
    }

    /// One line per exercise somebody has touched: done, failing, started, tries, hints.
    func byExercise(style: TextStyle) -> [String] {
        var lines = [style.bold("By exercise") + style.dim("   (done / failing / started, average tries of those who passed, students who used every hint)")]
        for exercise in Course.exercises {
            let statuses = reports.map { status($0, exercise.id) }
            let done = statuses.filter { $0 == .done }.count
            let failing = statuses.filter { $0 == .failing }.count
            let started = statuses.filter { $0 == .started }.count
            guard done + failing + started > 0 else { continue }
            let entries = reports.compactMap { $0.exercises.first { $0.id == exercise.id } }
            let tries = entries.compactMap(\.attemptsToPass)
            let average = tries.isEmpty ? "-" : String(format: "%.1f", Double(tries.reduce(0, +)) / Double(tries.count))
            let allHints = entries.filter { $0.hintsShown >= exercise.hints.count }.count
            lines.append("  \(exercise.id)  " + pad(exercise.title, 44) + pad(style.green("\(done)"), 4) + pad(style.red("\(failing)"), 4)
                + pad(style.yellow("\(started)"), 4) + pad("tries \(average)", 11) + "all hints \(allHints)")
        }
        return lines
    }

    /// The exercise most students are stuck on: failing, or working on it without a pass.
    func stuckLine(style: TextStyle) -> String {
        let ranked = Course.exercises.map { exercise -> (Exercise, stuck: Int, failing: Int, attempts: Int) in
            let stuck = reports.filter { report in
                let status = status(report, exercise.id)
                return status == .failing || (status == .started && report.current == exercise.id)
            }
            let failing = stuck.filter { status($0, exercise.id) == .failing }.count
            let attempts = stuck.compactMap { $0.exercises.first { $0.id == exercise.id }?.attempts }.reduce(0, +)
            return (exercise, stuck.count, failing, attempts)
        }
        guard let worst = ranked.max(by: { ($0.stuck, $0.attempts) < ($1.stuck, $1.attempts) }), worst.stuck > 0 else {
            return "Nobody is stuck right now."
        }
        let average = String(format: "%.1f", Double(worst.attempts) / Double(worst.stuck))
        return style.bold("Most stuck on: \(worst.0.id) \(worst.0.title)")
            + " — \(worst.stuck) of \(reports.count) student\(reports.count == 1 ? "" : "s") (\(worst.failing) failing), \(average) tries each so far."
    }
}
