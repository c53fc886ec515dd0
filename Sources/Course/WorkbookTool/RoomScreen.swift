import Foundation
import WorkbookCourse

/// What `workbook serve` shows, drawn again whenever a report arrives: how to join, the grid of
/// `workbook class` (the same code, `ClassReport`), the exercise most are stuck on, who has not
/// checked for ten minutes, and what happened last.
///
///     let screen = RoomScreen(joinLines: [...], folder: "reports", seats: seats, events: events, now: Date())
///     print(screen.rendered(style: .plain, height: 50))
struct RoomScreen {
    /// A learner who has not checked for this long is named in the "quiet" line.
    static let quietAfter: TimeInterval = 10 * 60
    /// The latest events shown under the grid.
    static let eventsShown = 4

    /// "Join:  swift run workbook join 192.168.1.20:8765 K7Q-X4P --name NAME", one per address.
    var joinLines: [String]
    var folder: String
    var seats: [LiveRoom.Seat]
    var events: [LiveRoom.Event]
    var now: Date

    /// The whole screen. With a `height` (the terminal's rows), the "By exercise" table is left
    /// out when it would push the rest off the screen.
    func rendered(style: TextStyle, height: Int? = nil) -> String {
        var top = [style.bold("workbook serve: the live room") + style.dim("   " + Self.clock(now) + "   q + Enter stops")]
        top += joinLines
        top.append(style.dim("Every report is written to \(folder)/ (afterwards: swift run workbook class \(folder))"))
        top.append("")
        guard !seats.isEmpty else {
            return (top + ["Nobody has joined yet: the learners type the join line above, in the workbook's folder."]
                + [""] + eventLines(style: style)).joined(separator: "\n")
        }
        let room = ClassReport(reports: seats.map(\.report), files: seats.map(\.file))
        let bottom = ["", room.stuckLine(style: style), quietLine(style: style), ""] + eventLines(style: style)
        var middle = room.grid(style: style)
        let byExercise = [""] + room.byExercise(style: style)
        if height.map({ top.count + middle.count + byExercise.count + bottom.count < $0 }) ?? true {
            middle += byExercise
        }
        return (top + middle + bottom).joined(separator: "\n")
    }

    /// Who has not checked for ten minutes (the longest quiet first), or that everyone has.
    func quietLine(style: TextStyle) -> String {
        let quiet = seats.filter { now.timeIntervalSince($0.lastSeen) >= Self.quietAfter }
            .sorted { $0.lastSeen < $1.lastSeen }
        guard !quiet.isEmpty else { return "Everyone has checked in the last 10 minutes." }
        let names = quiet.prefix(8).map { "\($0.report.learner) (\(duration(now.timeIntervalSince($0.lastSeen))))" }
        let more = quiet.count > 8 ? ", and \(quiet.count - 8) more" : ""
        return style.yellow("Not checked for 10 minutes or more: ") + names.joined(separator: ", ") + more
    }

    /// The latest events, newest last, each with its time.
    func eventLines(style: TextStyle) -> [String] {
        guard !events.isEmpty else { return [] }
        return [style.dim("Latest:")] + events.suffix(Self.eventsShown).map { "  " + Self.line(for: $0, style: style) }
    }

    /// "14:02:11  ada: 05a ✗ failing (3 tries), 4/21 done"
    static func line(for event: LiveRoom.Event, style: TextStyle) -> String {
        style.dim(clock(event.time)) + "  " + event.text
    }

    /// "14:02:11", the same everywhere (a locale's "2:02:11 PM" is wider).
    static func clock(_ date: Date) -> String {
        let time = Calendar.current.dateComponents([.hour, .minute, .second], from: date)
        return String(format: "%02d:%02d:%02d", time.hour ?? 0, time.minute ?? 0, time.second ?? 0)
    }
}
