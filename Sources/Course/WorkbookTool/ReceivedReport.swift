import Foundation
import WorkbookCourse

/// A report that arrived over the network, trusted for nothing but its shape.
///
/// `ClassFolder.decodeReport` tells a report from anything else (the same reading as
/// `workbook class`); then every string a terminal will show is made printable, every number
/// is kept in range, titles come from the course rather than the sender, and the totals are
/// counted again from the entries:
///
///     let report = try ReceivedReport.read(body)   // or InputError("not a workbook report ...")
extension LearnerReport {
    /// The most tries or hints the room shows for one exercise (a counter beyond it is a lie).
    static let largestCount = 100_000

    /// This report as the live room keeps and writes it: printable, bounded, recounted.
    /// Throws if the learner's name has nothing printable in it.
    func sanitizedForTheRoom() throws(InputError) -> LearnerReport {
        var report = self
        report.learner = SafeText.name(learner)
        guard !report.learner.isEmpty else { throw InputError("the report's learner name has nothing printable in it") }
        var seen = Set<String>()
        report.exercises = exercises.compactMap { received in
            // Only the course's exercises, each once, under its own title.
            guard let exercise = Course.exercise(received.id), exercise.id == received.id, seen.insert(exercise.id).inserted else {
                return nil
            }
            var entry = received
            entry.title = exercise.title
            entry.attempts = Self.bounded(entry.attempts)
            entry.hintsShown = min(Self.bounded(entry.hintsShown), exercise.hints.count)
            entry.attemptsToPass = entry.attemptsToPass.map(Self.bounded)
            entry.secondsToFirstPass = entry.secondsToFirstPass.map { max(0, $0) }
            entry.lastFailure = entry.lastFailure.map { SafeText.printable($0, limit: 80) }
            return entry
        }
        report.current = Course.exercise(current).map(\.id) ?? Course.exercises[0].id
        report.done = report.exercises.filter { $0.status == .done }.count
        report.total = Course.exercises.count
        return report
    }

    private static func bounded(_ count: Int) -> Int { min(max(0, count), largestCount) }
}

enum ReceivedReport {
    /// The body of a request: a sanitized report, or one line saying why it is not one.
    static func read(_ body: [UInt8]) throws(InputError) -> LearnerReport {
        switch ClassFolder.decodeReport(Data(body)) {
        case .failure(let reason): throw reason
        case .success(let report): return try report.sanitizedForTheRoom()
        }
    }
}
