import Foundation

extension Workspace {
    /// True when the progress file is in its usual place (WORKBOOK_PROGRESS names no other).
    var usesDefaultProgressFile: Bool { progressFile == Self.defaultProgressFile(root: root) }

    /// Moves what earlier versions of the tool kept in `.build` (the progress file and the
    /// backups of `reset`) to `.workbook`, where `rm -rf .build` does not erase it. Nothing
    /// already in `.workbook` is overwritten. Returns a line for the learner, or nil if there
    /// was nothing to move.
    ///
    ///     .build/workbook-progress.json  →  .workbook/progress.json
    ///     .build/workbook-backups/*      →  .workbook/backups/*
    func moveLegacyProgress() throws -> String? {
        let files = FileManager.default
        var moved: [String] = []
        if files.fileExists(atPath: legacyProgressFile) && !files.fileExists(atPath: progressFile) {
            try files.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
            try files.moveItem(atPath: legacyProgressFile, toPath: progressFile)
            moved.append("your progress")
        }
        if let backups = try? files.contentsOfDirectory(atPath: legacyBackupsDirectory) {
            try files.createDirectory(atPath: backupsDirectory, withIntermediateDirectories: true)
            var movedAll = true
            for name in backups {
                let target = backupsDirectory + "/" + name
                if files.fileExists(atPath: target) {
                    movedAll = false
                    continue
                }
                try files.moveItem(atPath: legacyBackupsDirectory + "/" + name, toPath: target)
            }
            if movedAll { try? files.removeItem(atPath: legacyBackupsDirectory) }
            if !backups.isEmpty { moved.append("the backups of `reset`") }
        }
        guard !moved.isEmpty else { return nil }
        let relative = stateDirectory.replacingOccurrences(of: root + "/", with: "")
        return "workbook: moved \(moved.joined(separator: " and ")) from .build to \(relative), "
            + "where a clean build (rm -rf .build) does not erase it"
    }
}
