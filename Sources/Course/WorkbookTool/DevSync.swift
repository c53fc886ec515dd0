import Foundation
import WorkbookCourse

/// `swift run workbook dev sync [--check]`, for course authors: writes every file derived from
/// the course index (DerivedFiles.swift says which), and deletes derived files that the index
/// no longer calls for. With `--check` it writes nothing and fails (exit status 1) when a file
/// is stale: CI runs it.
///
///     swift run workbook dev sync           # after adding an exercise, or changing a stub
///     swift run workbook dev sync --check   # in CI: is everything derived up to date?
enum DevSync {
    static func run(root: String, checkOnly: Bool) throws -> Int32 {
        let fileManager = FileManager.default
        let derived: [String: String]
        do {
            derived = try DerivedFiles.all { path in fileManager.contents(atPath: root + "/" + path).map { [UInt8]($0) } }
        } catch let problem as DerivedFiles.Problem {
            throw UsageError(problem.description)
        }
        var stale: [String] = []
        for (path, contents) in derived.sorted(by: { $0.key < $1.key }) {
            let current = fileManager.contents(atPath: root + "/" + path)
            if current != Data(contents.utf8) { stale.append(path) }
        }
        var extra: [String] = []
        for folder in DerivedFiles.generatedFolders {
            guard let files = fileManager.enumerator(atPath: root + "/" + folder) else { continue }
            for case let file as String in files {
                let path = folder + "/" + file
                var isDirectory: ObjCBool = false
                if fileManager.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   derived[path] == nil {
                    extra.append(path)
                }
            }
        }
        if checkOnly {
            if stale.isEmpty && extra.isEmpty {
                print("dev sync: every file derived from the course index is up to date (\(derived.count) files).")
                return 0
            }
            for path in stale { print("stale: \(path)") }
            for path in extra { print("not in the course index: \(path)") }
            print("dev sync: run `swift run workbook dev sync` and commit what it changes.")
            return 1
        }
        for path in stale {
            let full = root + "/" + path
            try fileManager.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(derived[path]!.utf8).write(to: URL(fileURLWithPath: full), options: .atomic)
            print("wrote \(path)")
        }
        for path in extra {
            try fileManager.removeItem(atPath: root + "/" + path)
            let folder = (root + "/" + path as NSString).deletingLastPathComponent
            if (try? fileManager.contentsOfDirectory(atPath: folder))?.isEmpty == true { try? fileManager.removeItem(atPath: folder) }
            print("deleted \(path)")
        }
        print("dev sync: \(stale.count + extra.count == 0 ? "nothing to change" : "\(stale.count) written, \(extra.count) deleted")"
            + " (\(derived.count) files derived from the course index).")
        return 0
    }
}
