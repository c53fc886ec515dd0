import Foundation
import Testing
import WorkbookCourse
@testable import WorkbookTool

@Suite("workbook tool: the learner's name, the report file, and `check all`")
struct LearnerSeatTests {
    @Test("A report carries the login name unless WORKBOOK_NAME or --name gives another")
    func learnerName() throws {
        #expect(WorkbookTool.defaultLearnerName(environment: [:], loginName: "ada") == "ada")
        #expect(WorkbookTool.defaultLearnerName(environment: ["WORKBOOK_NAME": "Ada L."], loginName: "ada") == "Ada L.")
        #expect(WorkbookTool.defaultLearnerName(environment: ["USER": "grace"], loginName: "") == "grace")
        #expect(WorkbookTool.defaultLearnerName(environment: [:], loginName: " ") == "learner")
        // Without USER (as in `docker run`), the name still comes from the user database.
        #expect(WorkbookTool.defaultLearnerName(environment: [:]) == ProcessInfo.processInfo.userName)
        #expect(try Command.parse(["report", "--name", "Ada"]) == .report(json: false, output: nil, name: "Ada"))
    }

    @Test("A bad --output path: one line naming the path and the reason")
    func badOutputPath() throws {
        let folder = NSTemporaryDirectory() + "workbook-output-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = Data("{}".utf8)
        func message(_ path: String) -> String? {
            do {
                try WorkbookTool.writeFile(data, to: path)
                return nil
            } catch {
                return oneLine(error)
            }
        }
        #expect(message(folder + "/missing/me.json") == "cannot write \(folder)/missing/me.json: the folder \(folder)/missing does not exist")
        #expect(message(folder) == "cannot write \(folder): it is a folder; give a file name, such as \(folder)/me.json")
        try data.write(to: URL(fileURLWithPath: folder + "/plain"))
        #expect(message(folder + "/plain/me.json") == "cannot write \(folder)/plain/me.json: \(folder)/plain is a file, not a folder")
        #expect(message(folder + "/me.json") == nil)
        #expect(FileManager.default.contents(atPath: folder + "/me.json") == data)
    }

    @Test("Foundation's file errors come out as the system's reason, in one line")
    func fileErrorsInOneLine() {
        do {
            try Data().write(to: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/me.json"))
            Issue.record("the write should fail")
        } catch {
            #expect(oneLine(error) == "no such file or directory")
        }
    }

    @Test("`check all` exits 1 unless every exercise passes (here: none started)")
    func checkAllWithNothingDone() throws {
        let (workspace, _) = try ProgressTests.workspace(exercises: Course.exercises)
        defer { try? FileManager.default.removeItem(atPath: workspace.root) }
        var session = Session(workspace: workspace, store: try ProgressStore(workspace: workspace), style: .plain)
        #expect(try session.checkAll() == 1)
    }

    @Test("watch says that its keys need Enter")
    func watchKeys() {
        #expect(Session.watchKeys(style: .plain).contains("type the letter, then press Enter"))
    }
}

@Suite("workbook tool: progress survives a clean build")
struct ProgressLocationTests {
    @Test("Progress and backups are kept in .workbook, not in .build")
    func location() throws {
        let (workspace, _) = try ProgressTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: workspace.root) }
        #expect(workspace.progressFile == workspace.root + "/.workbook/progress.json")
        #expect(workspace.backupsDirectory == workspace.root + "/.workbook/backups")
        #expect(workspace.usesDefaultProgressFile)
        #expect(!workspace.progressFile.contains("/.build/"))
    }

    @Test("reset keeps the learner's version in .workbook/backups")
    func resetBackup() throws {
        let (workspace, exercise) = try ProgressTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: workspace.root) }
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: workspace.path(exercise.exercisePath)))
        var session = Session(workspace: workspace, store: try ProgressStore(workspace: workspace), style: .plain)
        #expect(try session.reset(exercise, confirmed: true) == 0)
        let backups = try FileManager.default.contentsOfDirectory(atPath: workspace.backupsDirectory)
        #expect(backups.count == 1)
        #expect(FileManager.default.contents(atPath: workspace.backupsDirectory + "/" + backups[0]) == Data("mine\n".utf8))
        #expect(workspace.isUntouched(exercise))
    }

    @Test("Progress and backups found in .build (where earlier versions kept them) are moved, once")
    func movesLegacyProgress() throws {
        let (workspace, exercise) = try ProgressTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: workspace.root) }
        let files = FileManager.default
        #expect(try workspace.moveLegacyProgress() == nil, "nothing to move")

        var state = ProgressState()
        state.current = exercise.id
        let progress = try JSONEncoder.workbook.encode(state)
        try files.createDirectory(atPath: workspace.legacyBackupsDirectory, withIntermediateDirectories: true)
        try progress.write(to: URL(fileURLWithPath: workspace.legacyProgressFile))
        try Data("old try\n".utf8).write(to: URL(fileURLWithPath: workspace.legacyBackupsDirectory + "/02a-old.swift"))

        let note = try workspace.moveLegacyProgress()
        #expect(note == "workbook: moved your progress and the backups of `reset` from .build to .workbook, "
            + "where a clean build (rm -rf .build) does not erase it")
        #expect(try ProgressStore(workspace: workspace).state.current == exercise.id)
        #expect(files.contents(atPath: workspace.backupsDirectory + "/02a-old.swift") == Data("old try\n".utf8))
        #expect(!files.fileExists(atPath: workspace.legacyProgressFile))
        #expect(!files.fileExists(atPath: workspace.legacyBackupsDirectory))
        #expect(try workspace.moveLegacyProgress() == nil, "moved once")

        // An older file left in .build never overwrites the progress in .workbook.
        try Data("{}".utf8).write(to: URL(fileURLWithPath: workspace.legacyProgressFile))
        #expect(try workspace.moveLegacyProgress() == nil)
        #expect(try ProgressStore(workspace: workspace).state.current == exercise.id)
    }
}
