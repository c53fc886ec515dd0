import Foundation
import SystemPlatform
import WorkbookCourse

/// Where everything is: the package, its build folder, the programs next to this one, the
/// learner's progress file.
struct Workspace {
    /// The package's folder.
    let root: String
    /// SwiftPM's scratch folder this tool was built in (`.build` unless told otherwise).
    let scratchPath: String
    /// "debug" or "release".
    let configuration: String
    /// The folder of the built programs (where `check-05a` lands).
    let productsDirectory: String
    /// The learner's progress: attempts, hints, results. `.workbook/progress.json` in the
    /// package's folder (git ignores `.workbook`), or WORKBOOK_PROGRESS. Not in `.build`: a
    /// clean build (`rm -rf .build`) must not erase a learner's progress.
    let progressFile: String

    /// The folder the progress file is in (`.workbook`).
    var stateDirectory: String { (progressFile as NSString).deletingLastPathComponent }

    /// Where `reset` keeps the learner's version of an exercise: next to the progress file.
    var backupsDirectory: String { stateDirectory + "/backups" }

    /// Where the progress file was kept before it moved out of `.build` (read once, to move it).
    var legacyProgressFile: String { root + "/.build/workbook-progress.json" }
    var legacyBackupsDirectory: String { root + "/.build/workbook-backups" }

    /// The progress file's place when WORKBOOK_PROGRESS does not name another.
    static func defaultProgressFile(root: String) -> String { root + "/.workbook/progress.json" }

    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Workspace {
        let root = try packageRoot()
        // This program is <scratch>/<triple>/<configuration>/workbook.
        let executable = currentExecutable()
        let productsDirectory = (executable as NSString).deletingLastPathComponent
        let configuration = (productsDirectory as NSString).lastPathComponent
        var scratchPath = ((productsDirectory as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        if !["debug", "release"].contains(configuration) || !FileManager.default.fileExists(atPath: scratchPath) {
            scratchPath = root + "/.build"
        }
        let progressFile = environment["WORKBOOK_PROGRESS"] ?? defaultProgressFile(root: root)
        return Workspace(
            root: root, scratchPath: scratchPath,
            configuration: ["debug", "release"].contains(configuration) ? configuration : "debug",
            productsDirectory: productsDirectory, progressFile: progressFile)
    }

    /// The package's folder: from the current directory upwards, or from where this file was
    /// compiled (for a tool started from elsewhere).
    static func packageRoot() throws -> String {
        let fileManager = FileManager.default
        func isWorkbook(_ directory: String) -> Bool {
            fileManager.fileExists(atPath: directory + "/Package.swift") && fileManager.fileExists(atPath: directory + "/Exercises")
        }
        var directory = fileManager.currentDirectoryPath
        while !directory.isEmpty && directory != "/" {
            if isWorkbook(directory) { return directory }
            directory = (directory as NSString).deletingLastPathComponent
        }
        var compiledIn = #filePath  // <root>/Sources/Course/WorkbookTool/Workspace.swift
        for _ in 0..<4 { compiledIn = (compiledIn as NSString).deletingLastPathComponent }
        if isWorkbook(compiledIn) { return compiledIn }
        throw InputError("cannot find the workbook: run this inside the package folder (where Package.swift is)")
    }

    static func currentExecutable() -> String {
        executablePath() ?? CommandLine.arguments[0]
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    func read(_ relative: String) -> Data? { FileManager.default.contents(atPath: path(relative)) }

    /// A fingerprint of the exercise file as it is now (FNV-1a), or nil if it is missing.
    func fingerprint(of exercise: Exercise) -> String? {
        read(exercise.exercisePath).map(fingerprint(of:))
    }

    func fingerprint(of data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }

    /// The exercise file is still the stub as shipped.
    func isUntouched(_ exercise: Exercise) -> Bool {
        guard let current = read(exercise.exercisePath) else { return false }
        return current == read(exercise.originalPath)
    }

    /// The time the exercise file was last changed, and its size: cheap to poll.
    func stamp(of exercise: Exercise) -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path(exercise.exercisePath)) else { return "missing" }
        let date = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        return "\(date)/\(size)"
    }
}
