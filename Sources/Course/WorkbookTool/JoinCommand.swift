import Foundation
import LessonSupport  // Duration.inMilliseconds
import WorkbookCourse

/// `workbook join`: the learner's side of the live room.
///
///     swift run workbook join 192.168.1.20:8765 K7Q-X4P --name "Ada L."   # once
///     swift run workbook check                                            # sends the report too
///     swift run workbook join --leave                                     # no more reports
enum RoomCommand: Equatable {
    /// Join the room (the seat is filled in when run: the one kept from an earlier join, or new).
    case join(RoomMembership)
    case leave
    /// Say which room, if any, this checkout has joined.
    case show

    static let usage = """
        usage: swift run workbook join ADDRESS CODE --name NAME
               swift run workbook join --leave
               swift run workbook join

        For the learner, in class: joins the teacher's live room (the teacher runs
        `swift run workbook serve`, which shows the address and the code to type). From then on
        each `swift run workbook check` sends your progress to the teacher: the same report as
        `swift run workbook report --json`, in the background. A check never fails for it and
        waits for it at most 0.3 s; if the teacher's machine is gone you see one quiet line.

          ADDRESS        what the teacher's screen shows, such as 192.168.1.20:8765
          CODE           the join code on the teacher's screen, such as K7Q-X4P
          --name NAME    the name the teacher sees (letters, digits, spaces; at most 32 characters)
          --leave        leave the room: checks no longer send anything
          (no argument)  which room you have joined, if any

        Joining sends your report once, to check the address and the code; nothing is kept if
        the room does not take it. The room is kept in .workbook/room.json.
        """

    /// The time `join` gives the room to answer: the learner is waiting for this one on purpose.
    static let joinTimeout: Duration = .seconds(3)
}

/// The room did not take the report sent by `join`: one line, exit status 1.
struct RoomError: Error, CustomStringConvertible {
    let description: String
}

extension WorkbookTool {
    static func room(_ command: RoomCommand, workspace: Workspace, store: ProgressStore, style: TextStyle) throws -> Int32 {
        let current = RoomMembership.load(from: workspace)
        switch command {
        case .show:
            if let current {
                print("You are in the room at \(current.address) as \"\(current.name)\": each check sends your progress there.")
                print(style.dim("To leave it: swift run workbook join --leave"))
            } else {
                print("You have not joined a room. In class, the teacher's screen shows the line to type:")
                print("  swift run workbook join ADDRESS CODE --name NAME")
            }
            return 0
        case .leave:
            if try RoomMembership.leave(in: workspace), let current {
                print("You left the room at \(current.address): checks no longer send your progress.")
            } else {
                print("You were not in a room: nothing to leave.")
            }
            return 0
        case .join(var membership):
            // Joining again keeps the seat: the teacher's room keeps one row for you.
            membership.seat = current?.seat ?? SafeText.newSeat()
            let report = LearnerReport(store: store, name: membership.name)
            let body = Array(try JSONEncoder.workbook.encode(report))
            if let problem = ReportSender.post(body, to: membership, timeout: RoomCommand.joinTimeout) {
                let still = current.map { "; you are still in the room at \($0.address)" } ?? ""
                throw RoomError(description: "could not join: \(problem)\(still)")
            }
            try membership.save(in: workspace)
            print(style.green("Joined the room at \(membership.address) as \"\(membership.name)\"")
                + ": the teacher sees your progress (\(report.done)/\(report.total) done).")
            print("From now on each check sends it there in the background (a check waits at most "
                + "\(Int(ReportSender.bound.inMilliseconds)) ms for it).")
            print(style.dim("To leave: swift run workbook join --leave"))
            return 0
        }
    }
}
