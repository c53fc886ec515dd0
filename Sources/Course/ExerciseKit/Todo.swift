import ConcurrentFutures

// The one marker of unfinished work in the exercises.
//
// Every stub in Exercises/ starts its body with `try todo("what to do")` (or returns
// `try todo(...)`). It throws `Unfinished`, so the stub compiles and the checks can say exactly
// which part is still to be written. Where a body cannot throw, the stub returns
// `todo("what to do", placeholder: value)` instead. Delete the call when you write your own code
// there.

/// Thrown by `todo`: this part of an exercise has not been written yet.
public struct Unfinished: Error, CustomStringConvertible {
    /// What the stub says to do.
    public let message: String
    /// Where the marker is: "Exercise05a/FirstGoodAnswer.swift".
    public let fileID: String
    public let line: Int

    public var description: String { "unfinished (\(fileID):\(line)): \(message)" }
}

/// Marks a part of an exercise that you still have to write; always throws `Unfinished`.
///
///     public func fetchBoth(...) throws -> String {
///         return try todo("submit both fetches, then wait for both")
///     }
public func todo<T>(_ message: String, fileID: String = #fileID, line: Int = #line) throws -> T {
    throw UnfinishedMarkers.reached(message, fileID: fileID, line: line)
}

/// The same marker for a body that returns nothing (or where code follows it).
public func todo(_ message: String, fileID: String = #fileID, line: Int = #line) throws {
    throw UnfinishedMarkers.reached(message, fileID: fileID, line: line)
}

/// The same marker where the body cannot throw: it notes that the unfinished part was reached
/// (the checks count that as unfinished) and returns `placeholder`, so that the stub compiles.
///
///     public var progress: BatchProgress {
///         todo("read the counts under the lock", placeholder: BatchProgress(total: 0))
///     }
public func todo<T>(_ message: String, placeholder: T, fileID: String = #fileID, line: Int = #line) -> T {
    _ = UnfinishedMarkers.reached(message, fileID: fileID, line: line)
    return placeholder
}

/// Every `todo` reached in this process, so that the checks notice an unfinished part even when
/// the code around it caught the error (a `catch` that files every error under "failed", say).
public enum UnfinishedMarkers {
    private static let reachedMarkers = LockedValue<[Unfinished]>([])

    static func reached(_ message: String, fileID: String, line: Int) -> Unfinished {
        let marker = Unfinished(message: message, fileID: fileID, line: line)
        reachedMarkers.withLock { $0.append(marker) }
        return marker
    }

    /// How many markers have been reached so far (to compare before and after a check).
    public static var count: Int { reachedMarkers.withLock { $0.count } }

    /// The markers reached since `count` was `start`, in the module named `module` (the part of
    /// `#fileID` before the slash, such as "Exercise05a").
    public static func reached(since start: Int, inModule module: String) -> [Unfinished] {
        reachedMarkers.withLock { markers in
            markers.dropFirst(start).filter { $0.fileID.hasPrefix(module + "/") }
        }
    }
}
