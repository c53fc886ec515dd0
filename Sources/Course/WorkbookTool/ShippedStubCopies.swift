import Foundation
import WorkbookCourse

/// The stubs as shipped, for `workbook reset` and for telling "not started" from "started".
///
/// Nothing in the checkout holds a second copy of a stub, so nothing can drift from it: the
/// course index records each stub's git blob id (ShippedStubs.swift, derived by
/// `workbook dev sync` from Exercises/), and the tool keeps a copy of each stub in
/// `.build/workbook-originals/` (`Exercise.originalPath`), made only from bytes whose id is the
/// recorded one:
///
/// 1. while an exercise file is still the stub (its id matches), the tool copies it there,
///    the first time it runs;
/// 2. once the learner has changed it, from git: a clone holds the stub's bytes under that id,
///    whatever the learner changed or committed since (`git cat-file blob ID`);
/// 3. in a checkout without git whose exercise was changed before the tool first ran, there is
///    no copy, and `reset` says so.
///
/// So a copy is byte-identical to the shipped stub by construction, not by care.
enum ShippedStubCopies {
    /// Makes the missing copies. Cheap when they exist: one read and one hash per exercise.
    static func prepare(_ workspace: Workspace) {
        let fileManager = FileManager.default
        for exercise in Course.exercises {
            guard let stubID = exercise.shippedStubID else { continue }
            let copyPath = workspace.path(exercise.originalPath)
            if let copy = fileManager.contents(atPath: copyPath), exercise.isShippedStub([UInt8](copy)) { continue }
            var stub = workspace.read(exercise.exercisePath).flatMap { exercise.isShippedStub([UInt8]($0)) ? $0 : nil }
            if stub == nil {
                stub = fromGit(stubID, root: workspace.root).flatMap { exercise.isShippedStub([UInt8]($0)) ? $0 : nil }
            }
            guard let stub else { continue }
            try? fileManager.createDirectory(atPath: (copyPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try? stub.write(to: URL(fileURLWithPath: copyPath), options: .atomic)
        }
    }

    /// The bytes git keeps under `blobID`, or `nil` (no git, not a git checkout, no such blob).
    static func fromGit(_ blobID: String, root: String) -> Data? {
        guard let git = try? executable(named: "git"),
              let finished = try? runProgram(git, ["-C", root, "cat-file", "blob", blobID], directory: root, timeout: 20),
              finished.status == 0, finished.signal == nil else { return nil }
        // runProgram joins standard output and error; a successful cat-file writes only the blob.
        return Data(finished.output.utf8)
    }

    /// The first `name` on the PATH.
    static func executable(named name: String) throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw UsageError("cannot find `\(name)` on the PATH")
    }
}
