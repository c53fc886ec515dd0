import Foundation
import Testing
import WorkbookCourse
@testable import WorkbookTool

@Suite("workbook tool: the command line")
struct CommandLineTests {
    @Test("Commands and their arguments")
    func parses() throws {
        #expect(try Command.parse([]) == .status)
        #expect(try Command.parse(["list"]) == .list(markdown: false))
        #expect(try Command.parse(["list", "--markdown"]) == .list(markdown: true))
        #expect(try Command.parse(["check"]) == .check(.current))
        #expect(try Command.parse(["check", "05a"]) == .check(.one("05a")))
        #expect(try Command.parse(["check", "5a"]) == .check(.one("05a")))
        #expect(try Command.parse(["check", "all"]) == .check(.all))
        #expect(try Command.parse(["watch"]) == .watch(nil))
        #expect(try Command.parse(["hint", "14A"]) == .hint("14a"))
        #expect(try Command.parse(["reset", "02b", "--yes"]) == .reset("02b", yes: true))
        #expect(try Command.parse(["solution", "--force", "03a"]) == .solution("03a", force: true))
        #expect(try Command.parse(["next"]) == .next)
        #expect(try Command.parse(["go", "12a"]) == .go("12a"))
        #expect(try Command.parse(["report", "--json", "--output", "me.json", "--name", "Ada"])
            == .report(json: true, output: "me.json", name: "Ada"))
        #expect(try Command.parse(["class", "reports"]) == .classroom("reports"))
        #expect(try Command.parse(["--help"]) == .help)
    }

    @Test("Bad input is a usage error", arguments: [
        ["frobnicate"], ["check", "99"], ["check", "05a", "06a"], ["hint", "--loud"], ["reset"],
        ["go"], ["report", "--output", "x.json"], ["report", "--json", "--output"], ["class"], ["list", "extra"],
        ["report", "--name", ""],
    ])
    func rejects(_ arguments: [String]) {
        #expect(throws: UsageError.self) { try Command.parse(arguments) }
    }

    @Test("Bad input exits with status 2, with one line that points to --help")
    func exitStatus() {
        var printed: [String] = []
        #expect(WorkbookTool.run(["check", "99"]) { printed.append($0) } == 2)
        #expect(printed == [
            "workbook: error: no exercise \"99\": ids look like 05a (`swift run workbook list` shows them all); see `swift run workbook --help`",
        ])
        #expect(WorkbookTool.run(["frobnicate"]) { _ in } == 2)
    }

    @Test("Every usage error is one line, not the whole usage", arguments: [
        ["frobnicate"], ["check", "99"], ["check", "05a", "06a"], ["hint", "--loud"], ["reset"],
        ["go"], ["report", "--output", "x.json"], ["report", "--json", "--output"], ["class"], ["list", "extra"],
        ["report", "--name", " "],
    ])
    func oneLineUsageErrors(_ arguments: [String]) {
        var printed: [String] = []
        #expect(WorkbookTool.run(arguments) { printed.append($0) } == 2)
        #expect(printed.count == 1)
        #expect(printed.first?.hasPrefix("workbook: error: ") == true)
        #expect(printed.first?.hasSuffix("; see `swift run workbook --help`") == true)
        #expect(printed.first?.contains("\n") == false)
    }

    @Test("--help says when `check all` succeeds, that watch's keys need Enter, and where progress is kept")
    func helpText() {
        #expect(WorkbookTool.usage.contains("exit status 0 only"))
        #expect(WorkbookTool.usage.contains("when every exercise of the course passes"))
        #expect(WorkbookTool.usage.contains("then Enter"))
        #expect(WorkbookTool.usage.contains(".workbook/"))
    }

    @Test("The README's table has a row per exercise")
    func markdown() {
        let table = WorkbookTool.markdownTable()
        for exercise in Course.exercises {
            #expect(table.contains("| \(exercise.id) | \(exercise.title) |"))
        }
    }

    @Test("No colours without a terminal, and padding ignores colours")
    func plainText() {
        let colored = TextStyle(colors: true, width: 80)
        #expect(pad(colored.red("ab"), 4) == colored.red("ab") + "  ")
        #expect(!TextStyle(colors: false, width: 80).red("x").contains("\u{1B}"))
        #expect(TextStyle(colors: false, width: 40).wrap(String(repeating: "word ", count: 30)).split(separator: "\n").allSatisfy { $0.count <= 40 })
    }
}

@Suite("workbook tool: progress and statuses")
struct ProgressTests {
    /// A throw-away package folder with the stubs and originals of `exercises`.
    static func workspace(exercises: [Exercise] = [Course.exercises[0]]) throws -> (Workspace, Exercise) {
        let exercise = Course.exercises[0]
        let root = NSTemporaryDirectory() + "workbook-tool-\(UUID().uuidString.prefix(8))"
        for path in exercises.flatMap({ [$0.exercisePath, $0.originalPath] }) {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data("stub\n".utf8).write(to: URL(fileURLWithPath: full))
        }
        let workspace = Workspace(root: root, scratchPath: root + "/.build", configuration: "debug",
                                  productsDirectory: root + "/.build/debug", progressFile: Workspace.defaultProgressFile(root: root))
        return (workspace, exercise)
    }

    @Test("not started → started → done → started again, and the record")
    func statuses() throws {
        let (workspace, exercise) = try Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: workspace.root) }
        var store = try ProgressStore(workspace: workspace)
        #expect(store.status(of: exercise) == .notStarted)
        store.recordCheck(of: exercise, passed: false, failedProperty: "unfinished", fingerprint: workspace.fingerprint(of: exercise))
        #expect(store.state[exercise.id].attempts == 0, "checking the untouched stub is not an attempt")

        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: workspace.path(exercise.exercisePath)))
        #expect(store.status(of: exercise) == .started)
        store.recordCheck(of: exercise, passed: false, failedProperty: "order", fingerprint: workspace.fingerprint(of: exercise))
        #expect(store.status(of: exercise) == .failing)
        store.recordCheck(of: exercise, passed: true, failedProperty: nil, fingerprint: workspace.fingerprint(of: exercise))
        #expect(store.status(of: exercise) == .done)
        #expect(store.state[exercise.id].attempts == 2 && store.state[exercise.id].attemptsToPass == 2)
        #expect(store.doneCount == 1)
        #expect(store.current != exercise, "the current exercise moves past the one that is done")

        try Data("mine, changed\n".utf8).write(to: URL(fileURLWithPath: workspace.path(exercise.exercisePath)))
        #expect(store.status(of: exercise) == .started)

        try store.save()
        let reloaded = try ProgressStore(workspace: workspace)
        #expect(reloaded.state == store.state)
    }

    @Test("The JSON report reads back the same")
    func reportRoundTrip() throws {
        let (workspace, _) = try Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: workspace.root) }
        let report = LearnerReport(store: try ProgressStore(workspace: workspace), name: "Ada", now: Date(timeIntervalSince1970: 1_700_000_000))
        let data = try JSONEncoder.workbook.encode(report)
        #expect(try JSONDecoder.workbook.decode(LearnerReport.self, from: data) == report)
        #expect(report.exercises.count == Course.exercises.count)
    }
}

@Suite("workbook tool: the classroom")
struct ClassroomTests {
    static func report(_ name: String, failingOn stuck: String?, done: Int) -> LearnerReport {
        var report = LearnerReport(
            store: try! ProgressStore(workspace: try! ProgressTests.workspace().0), name: name,
            now: Date(timeIntervalSince1970: 1_700_000_000))
        report.done = done
        report.current = stuck ?? "02a"
        for index in report.exercises.indices {
            if index < done {
                report.exercises[index].status = .done
            } else if report.exercises[index].id == stuck {
                report.exercises[index].status = .failing
                report.exercises[index].attempts = 4
            }
        }
        return report
    }

    static func folder(_ files: [String: Data]) throws -> String {
        let directory = NSTemporaryDirectory() + "workbook-class-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, data) in files { try data.write(to: URL(fileURLWithPath: directory + "/" + name)) }
        return directory
    }

    @Test("Reads a folder of reports and names the exercise most are stuck on")
    func room() throws {
        let reports = [Self.report("ann", failingOn: "05a", done: 5), Self.report("ben", failingOn: "05a", done: 5),
                       Self.report("cy", failingOn: "07a", done: 8)]
        let directory = try Self.folder(Dictionary(uniqueKeysWithValues: try reports.map {
            ("\($0.learner).json", try JSONEncoder.workbook.encode($0))
        }))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let folder = try ClassFolder.read(directory)
        #expect(folder.reports.map(\.report.learner) == ["ann", "ben", "cy"])
        #expect(folder.skipped.isEmpty)
        let text = ClassReport(folder: folder).rendered(style: .plain)
        #expect(text.contains("Most stuck on: 05a First good answer wins — 2 of 3 students (2 failing)"))
        #expect(text.contains("cy      8/21"))
        #expect(!text.contains("⚠"))
    }

    @Test("A file that is not a report is skipped with a one-line reason; the others are shown")
    func skipsWhatIsNotAReport() throws {
        let directory = try Self.folder([
            "ann.json": try JSONEncoder.workbook.encode(Self.report("ann", failingOn: "05a", done: 5)),
            "bad.json": Data("{ not json".utf8),
            "odd.json": Data(#"{"format": "something else"}"#.utf8),
            "notes.txt": Data("bring snacks\n".utf8),
            ".DS_Store": Data([0, 1, 2]),
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/old", withIntermediateDirectories: false)
        let folder = try ClassFolder.read(directory)
        #expect(folder.reports.map(\.file) == ["ann.json"])
        #expect(folder.skipped == [
            "bad.json: not a workbook report (not valid JSON)",
            "notes.txt: not a workbook report (not valid JSON)",
            #"odd.json: not a workbook report (its format is "something else")"#,
            "old: a folder, not a report",
        ])
        #expect(ClassReport(folder: folder).rendered(style: .plain).hasPrefix("The room: 1 student, 21 exercises   (4 files skipped, see below)"))

        var printed: [String] = []
        #expect(WorkbookTool.run(["class", directory]) { printed.append($0) } == 0)
        #expect(printed == folder.skipped.map { "workbook: warning: skipped " + $0 })
    }

    @Test("Two reports with the same name are flagged, and both are shown with their files")
    func sameName() throws {
        let directory = try Self.folder([
            "root.json": try JSONEncoder.workbook.encode(Self.report("root", failingOn: "05a", done: 5)),
            "root-2.json": try JSONEncoder.workbook.encode(Self.report("root", failingOn: "07a", done: 8)),
            "ann.json": try JSONEncoder.workbook.encode(Self.report("ann", failingOn: "05a", done: 5)),
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let room = ClassReport(folder: try ClassFolder.read(directory))
        #expect(room.sameNames.map(\.name) == ["root"])
        #expect(room.sameNames.first?.files == ["root-2.json", "root.json"])
        let text = room.rendered(style: .plain)
        #expect(text.contains(#"⚠ 2 reports are named "root" (root-2.json, root.json)"#))
        #expect(text.contains("root [root-2.json]  8/21"))
        #expect(text.contains("root [root.json]    5/21"))
        #expect(text.contains("swift run workbook report --json --name NAME"))
    }

    @Test("A folder without any report, a missing folder, or a file is bad input, in one line")
    func malformed() throws {
        for files in [["bad.json": Data("{ not json".utf8)], [:]] {
            let directory = try Self.folder(files)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            #expect(throws: InputError.self) { try ClassFolder.read(directory) }
        }
        #expect(throws: InputError.self) { try ClassFolder.read("/nonexistent/reports") }
        let directory = try Self.folder(["a.json": Data("{}".utf8)])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: InputError.self) { try ClassFolder.read(directory + "/a.json") }

        var printed: [String] = []
        #expect(WorkbookTool.run(["class", "/nonexistent/reports"]) { printed.append($0) } == 2)
        #expect(printed == ["workbook: error: cannot read the folder /nonexistent/reports: it does not exist"])
    }
}
