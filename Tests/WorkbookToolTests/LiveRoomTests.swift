import ConcurrentFutures
import Foundation
import LessonSupport
import Testing
import WorkbookCourse
@testable import WorkbookTool

/// A live room on the loopback interface, its reports folder in a throw-away directory.
struct LoopbackRoom {
    let root: String
    let folder: String
    let room: LiveRoom
    let code = JoinCode("K7QX4P")!
    let server: RoomServer

    init() throws {
        root = NSTemporaryDirectory() + "workbook-room-\(UUID().uuidString.prefix(8))"
        folder = root + "/reports"
        room = try LiveRoom(folder: folder)
        server = try RoomServer(room: room, code: code, host: "127.0.0.1", port: 0)
    }

    var address: String { "127.0.0.1:\(server.port)" }
    var reportURL: String { "http://\(address)/report" }

    /// A learner's membership of this room (with another code if given).
    func membership(_ name: String, code: String? = nil) throws -> RoomMembership {
        try RoomMembership(address: address, code: code ?? self.code.description, name: name)
    }

    /// The report files in the folder.
    var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    func remove() {
        server.stop()
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// A report as JSON bytes, as `workbook report --json` writes it.
func reportBody(_ report: LearnerReport) throws -> [UInt8] {
    Array(try JSONEncoder.workbook.encode(report))
}

@Suite("workbook serve: the live room on the loopback interface")
struct LiveRoomTests {
    @Test("30 learners sending at once are all in the room, and all in the folder for `workbook class`")
    func thirtyLearners() throws {
        let room = try LoopbackRoom()
        defer { room.remove() }
        let names = (1...30).map { "learner \($0)" }
        // Each learner has a sender of their own (a thread each): the 30 reports are in flight
        // together. A generous timeout: this checks that every report lands, not how fast.
        let senders = try names.map { ReportSender(membership: try room.membership($0), timeout: .seconds(20)) }
        for (index, sender) in senders.enumerated() {
            let stuck = index < 12 ? "07a" : index < 21 ? "08a" : "09a"
            sender.send(ClassroomTests.report(names[index], failingOn: stuck, done: index % 8))
        }
        let notes = senders.map { $0.finish() }
        #expect(notes.allSatisfy { $0 == nil }, "every report was taken: \(notes.compactMap { $0 })")

        let seats = room.room.snapshot().seats
        #expect(Set(seats.map(\.report.learner)) == Set(names))
        #expect(room.files.count == 30)
        let folder = try ClassFolder.read(room.folder)
        #expect(Set(folder.reports.map(\.report.learner)) == Set(names))
        #expect(folder.skipped.isEmpty, "the hidden .join-code is not a report and is not listed")
        let screen = RoomScreen(joinLines: [], folder: room.folder, seats: seats, events: room.room.snapshot().events, now: Date())
            .rendered(style: .plain)
        #expect(screen.contains("The room: 30 students, 21 exercises"))
        #expect(screen.contains("Most stuck on: 07a Successes and failures, each with its input — 12 of 30 students (12 failing)"))
    }

    @Test("A wrong join code is refused (403) and a missing one too (401), each in one line; nothing is kept")
    func wrongCode() throws {
        let room = try LoopbackRoom()
        defer { room.remove() }
        let report = ClassroomTests.report("ada", failingOn: "05a", done: 3)
        let stranger = try room.membership("ada", code: "ABC-DEF")
        let note = ReportSender.post(try reportBody(report), to: stranger, timeout: .seconds(10))
        #expect(note == "the room refused it: wrong join code: ask the teacher for the code and join again")

        let anonymous = try HTTPClient.post(room.reportURL, body: try reportBody(report), headers: ["Workbook-Seat": "12345678"], timeout: .seconds(10))
        #expect(anonymous.status == 401)
        #expect(ReportSender.refusal(anonymous) == "a join code is needed: swift run workbook join ADDRESS CODE --name NAME")

        #expect(room.room.snapshot().seats.isEmpty)
        #expect(room.files.isEmpty)
        #expect(room.room.snapshot().events.map(\.text) == [
            "refused a report: wrong join code", "refused a report without a join code",
        ])
    }

    @Test("A body over 64 KiB is refused with 413 before it is read; the room is unchanged")
    func oversizedBody() throws {
        let room = try LoopbackRoom()
        defer { room.remove() }
        var body = try reportBody(ClassroomTests.report("ada", failingOn: "05a", done: 3))
        body += [UInt8](repeating: UInt8(ascii: " "), count: 100 * 1024)
        let note = ReportSender.post(body, to: try room.membership("ada"), timeout: .seconds(10))
        #expect(note == "the room refused it: 413 Content Too Large: the body has \(body.count) bytes, at most 65536 are accepted")
        #expect(room.room.snapshot().seats.isEmpty)
        #expect(room.files.isEmpty)
    }

    @Test("Malformed reports and things that are not reports are refused (400) with the reason", arguments: [
        ("{ not json", "not a workbook report (not valid JSON)"),
        (#"{"format": "exam-results"}"#, #"not a workbook report (its format is "exam-results")"#),
        (#"{"name": "ada"}"#, #"not a workbook report (no "format")"#),
        (#"{"format": "workbook-report", "version": 1}"#, #"a damaged workbook report (missing "learner")"#),
    ])
    func malformedReport(_ body: String, _ reason: String) throws {
        let room = try LoopbackRoom()
        defer { room.remove() }
        let response = try HTTPClient.post(room.reportURL, body: Array(body.utf8),
                                           headers: ["Authorization": "Bearer K7QX4P", "Workbook-Seat": "12345678"], timeout: .seconds(10))
        #expect(response.status == 400)
        #expect(ReportSender.refusal(response) == reason)
        #expect(room.room.snapshot().events.last?.text == "refused a report: " + reason)
        #expect(room.files.isEmpty)
    }

    @Test("A hostile name shows without escape codes, and its file stays in the folder")
    func hostileName() throws {
        let room = try LoopbackRoom()
        defer { room.remove() }
        var report = ClassroomTests.report("x", failingOn: "05a", done: 2)
        report.learner = "\u{1B}[2J\u{1B}[31mEvil\u{07}\u{202E}/../x\u{1B}]0;owned\u{07}\n"
        report.current = "../../etc/passwd"
        report.done = 999
        report.exercises[4].lastFailure = "\u{1B}[2Jboom"
        report.exercises.append(report.exercises[0])  // twice the same exercise
        let note = ReportSender.post(try reportBody(report), to: try room.membership("x"), timeout: .seconds(10))
        #expect(note == nil)

        let seat = try #require(room.room.snapshot().seats.first)
        #expect(seat.report.learner == "Evil .. x")
        #expect(seat.report.current == "02a")
        #expect(seat.report.done == 2, "recounted from the entries, not taken from the sender")
        #expect(seat.report.exercises.count == Course.exercises.count)
        #expect(seat.report.exercises[4].lastFailure == "boom")
        #expect(room.files.count == 1)
        #expect(room.files[0].hasPrefix("evil-x-"))
        #expect(room.files[0].allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") })
        // Nothing was written beside the folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: room.root) == ["reports"])
        let screen = RoomScreen(joinLines: [], folder: room.folder, seats: room.room.snapshot().seats,
                                events: room.room.snapshot().events, now: Date()).rendered(style: .plain)
        #expect(!screen.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(!screen.contains("\u{202E}"))
    }

    @Test("Names are made printable: no escape sequences, controls, invisible marks or path separators")
    func safeText() {
        #expect(SafeText.name("Ada Lovelace") == "Ada Lovelace")
        #expect(SafeText.name("\u{1B}[1;31mAda\u{1B}[0m") == "Ada")
        #expect(SafeText.name("a\u{9B}31mb\u{200B}c\u{202E}d") == "a31mbcd")
        #expect(SafeText.name("../../etc/passwd") == ".. .. etc passwd")
        #expect(SafeText.name("C:\\Users\\ada\r\n") == "C: Users ada")
        #expect(SafeText.name("\u{1B}]0;title\u{07}Zoë") == "Zoë")
        #expect(SafeText.name(String(repeating: "long", count: 20)).count == SafeText.longestName)
        #expect(SafeText.name("\u{1B}[2J\u{07}").isEmpty)
        #expect(SafeText.fileName(name: "Zoë d'Arc", seat: "0a1b2c3d") == "zo-d-arc-0a1b2c3d.json")
        #expect(SafeText.fileName(name: "..", seat: "0a1b2c3d") == "learner-0a1b2c3d.json")
        #expect(SafeText.isSeat("0a1b2c3d") && !SafeText.isSeat("../x.json") && !SafeText.isSeat("0A1B2C3D"))
        #expect(LiveRoom.seat(ofFile: "zo-d-arc-0a1b2c3d.json") == "0a1b2c3d")
        #expect(LiveRoom.seat(ofFile: "ada.json") == nil)
    }

    @Test("Joining again under another name keeps the learner's one row and file")
    func rejoinKeepsTheSeat() throws {
        let room = try LoopbackRoom()
        defer { room.remove() }
        var membership = try room.membership("root")
        #expect(ReportSender.post(try reportBody(ClassroomTests.report("root", failingOn: nil, done: 1)), to: membership, timeout: .seconds(10)) == nil)
        membership.name = "Grace"
        #expect(ReportSender.post(try reportBody(ClassroomTests.report("Grace", failingOn: nil, done: 2)), to: membership, timeout: .seconds(10)) == nil)
        #expect(room.room.snapshot().seats.map(\.report.learner) == ["Grace"])
        #expect(room.files == ["grace-\(membership.seat).json"])
        #expect(room.room.snapshot().events.map(\.text) == [
            "root joined: 1/21 done, now at 02a",
            "Grace: 02b ✓ done (0 tries), 2/21 done",
        ])
    }

    @Test("A room opened again on its folder shows the reports there and keeps its join code")
    func restart() throws {
        let room = try LoopbackRoom()
        defer { room.remove() }
        #expect(ReportSender.post(try reportBody(ClassroomTests.report("ada", failingOn: "05a", done: 3)),
                                  to: try room.membership("ada"), timeout: .seconds(10)) == nil)
        let first = try JoinCode.forFolder(room.folder, fresh: false)
        #expect(!first.reused)
        #expect(try JoinCode.forFolder(room.folder, fresh: false) == (first.code, true))
        #expect(try JoinCode.forFolder(room.folder, fresh: true).reused == false)

        let reopened = try LiveRoom(folder: room.folder)
        #expect(reopened.snapshot().seats.map(\.report.learner) == ["ada"])
        #expect(throws: InputError.self) { try LiveRoom(folder: room.folder + "/" + room.files[0]) }
    }

    @Test("The join code: six signs, typed in any case, with or without the dash")
    func joinCode() {
        let code = JoinCode.random()
        #expect(code.description.count == 7 && code.description.dropFirst(3).first == "-")
        #expect(JoinCode(code.description.lowercased()) == code)
        #expect(code.matches(code.characters) && code.matches(" " + code.description.lowercased()))
        #expect(JoinCode("K7Q-X4") == nil && JoinCode("K7Q-X40") == nil && JoinCode("") == nil)
        #expect(!JoinCode("K7QX4P")!.matches("K7QX4Q"))
    }

    @Test("Who has not checked for 10 minutes; on a short terminal the grid stays and the table goes")
    func screen() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let seats = [
            LiveRoom.Seat(file: "ann-00000001.json", report: ClassroomTests.report("ann", failingOn: "05a", done: 4), lastSeen: now - 14 * 60),
            LiveRoom.Seat(file: "ben-00000002.json", report: ClassroomTests.report("ben", failingOn: "05a", done: 4), lastSeen: now - 60),
        ]
        let screen = RoomScreen(joinLines: ["Join:  swift run workbook join 10.0.0.5:8765 K7Q-X4P --name NAME"],
                                folder: "reports", seats: seats, events: [], now: now)
        #expect(screen.quietLine(style: .plain) == "Not checked for 10 minutes or more: ann (14 min)")
        let full = screen.rendered(style: .plain)
        #expect(full.contains("By exercise"))
        let short = screen.rendered(style: .plain, height: 20)
        #expect(!short.contains("By exercise"))
        #expect(short.contains("ann     4/21") && short.contains("Most stuck on: 05a"))
        #expect(RoomScreen(joinLines: [], folder: "reports", seats: [], events: [], now: now).rendered(style: .plain)
            .contains("Nobody has joined yet"))
    }
}
