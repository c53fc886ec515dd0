import ConcurrentFutures  // LockedValue
import Foundation
import SystemPlatform
import WorkbookCourse

/// `workbook serve`: the teacher's live room on the local network.
///
///     swift run workbook serve                      # every interface, port 8765, folder reports/
///     swift run workbook serve --bind 127.0.0.1     # this machine only (to try it alone)
///
/// It prints how to join, then keeps the room on the terminal until q + Enter or Ctrl-C.
struct ServeOptions: Equatable {
    var port: UInt16 = RoomServer.defaultPort
    /// "0.0.0.0": every interface.
    var host = "0.0.0.0"
    var folder = "reports"
    /// A new join code even if the folder has one from an earlier run.
    var freshCode = false

    static let usage = """
        usage: swift run workbook serve [--port N] [--bind ADDRESS] [--folder DIR] [--new-code]

        For the teacher: a live view of the room. Learners join once with the line it shows
        (swift run workbook join ADDRESS CODE --name NAME); from then on each of their checks
        sends their progress, and the room on this terminal is drawn again: the grid of
        `workbook class`, the exercise most are stuck on, who has not checked for 10 minutes.

          --port N          the port to listen on (default \(RoomServer.defaultPort); 0: any free port)
          --bind ADDRESS    where to listen: 0.0.0.0, every network interface (the default), or
                            one address of this machine, such as 192.168.1.20; 127.0.0.1 lets
                            only this machine join (to try it alone)
          --folder DIR      every report is written there, one file per learner, so that
                            `swift run workbook class DIR` reads the room afterwards
                            (default: reports; made if missing; reports already there are shown)
          --new-code        a new join code (by default a folder keeps its code, in DIR/.join-code,
                            so that learners need not join again after a restart)

        Stop with q then Enter, or Ctrl-C. Reports without the join code, larger than 64 KiB or
        that are not workbook reports are refused, each with a one-line reason. The room speaks
        plain HTTP (not encrypted): use it on the classroom's network. When the network blocks
        it, collect files instead: see Lessons/TEACHING.md, "The live room".
        """

    /// From the command line's words (nil: not given).
    init(port: String? = nil, bind: String? = nil, folder: String? = nil, freshCode: Bool = false) throws(UsageError) {
        if let port {
            guard let number = UInt16(port) else { throw UsageError("--port needs a number from 0 to 65535, not \"\(SafeText.printable(port, limit: 20))\"") }
            self.port = number
        }
        if let bind {
            guard let host = RoomMembership.ipv4Host(bind) else {
                throw UsageError("--bind needs an IPv4 address of this machine, such as 0.0.0.0, 127.0.0.1 or 192.168.1.20, not \"\(SafeText.printable(bind, limit: 40))\"")
            }
            self.host = host
        }
        if let folder {
            guard !folder.isEmpty else { throw UsageError("--folder needs a folder") }
            self.folder = folder
        }
        self.freshCode = freshCode
    }
}

extension WorkbookTool {
    /// Runs the room until q + Enter, Ctrl-C or SIGTERM; returns the exit status.
    static func serve(_ options: ServeOptions) throws -> Int32 {
        let room = try LiveRoom(folder: options.folder)
        let (code, reused) = try JoinCode.forFolder(options.folder, fresh: options.freshCode)
        let server = try RoomServer(room: room, code: code, host: options.host, port: options.port)
        defer { server.stop() }
        let style = Terminal.style()
        let isTerminal = isatty(1) == 1
        // Each line goes out as it is printed, also into a log file. (No fflush(nil) here: it
        // would wait for the keyboard thread, which holds stdin's lock while it waits for a line.)
        lineBufferStandardOutput()
        let joinLines = joinLines(host: options.host, port: server.port, code: code, style: style)

        // The introduction, once: on a terminal the screen that follows keeps the join lines.
        for line in introduction(host: options.host, port: server.port, code: code, reused: reused, folder: options.folder, style: style) {
            print(line)
        }

        let stop = StopRequest()
        let keyboard = LineReader()
        var drawn = -1
        var drawnAt = Date.distantPast
        var eventsPrinted = room.snapshot().events.last?.number ?? 0
        func screen() -> RoomScreen {
            let snapshot = room.snapshot()
            return RoomScreen(joinLines: joinLines, folder: options.folder, seats: snapshot.seats, events: snapshot.events, now: Date())
        }
        while !stop.isRequested {
            if let line = keyboard.take(), ["q", "quit", "exit"].contains(line.trimmingCharacters(in: .whitespaces).lowercased()) {
                break
            }
            let snapshot = room.snapshot()
            if isTerminal {
                // Draw again on news, and every 15 s for the "not checked for 10 minutes" line.
                if snapshot.changes != drawn || Date().timeIntervalSince(drawnAt) >= 15 {
                    print("\u{1B}[H\u{1B}[2J" + screen().rendered(style: style, height: Terminal.height()), terminator: "\n")
                    drawn = snapshot.changes
                    drawnAt = Date()
                }
            } else {
                // Not a terminal (a log file): one line per event, the room at the end.
                for event in snapshot.events where event.number > eventsPrinted {
                    print(RoomScreen.line(for: event, style: style))
                    eventsPrinted = event.number
                }
            }
            usleep(200_000)
        }
        server.stop()
        if !isTerminal {
            print("")
            print(screen().rendered(style: style))
        }
        let count = room.snapshot().seats.count
        print("")
        print("The room is closed. \(count) report\(count == 1 ? " is" : "s are") in \(options.folder)/: swift run workbook class \(options.folder)")
        return 0
    }

    /// "Join:  swift run workbook join 192.168.1.20:8765 K7Q-X4P --name NAME", one line per
    /// address the learners might reach (every interface's when bound to all of them).
    static func joinLines(host: String, port: UInt16, code: JoinCode, style: TextStyle) -> [String] {
        var addresses = [host]
        if host == "0.0.0.0" {
            let interfaces = NetworkAddresses.current()
            let outward = interfaces.filter { !$0.isLoopback }.map(\.address)
            addresses = outward.isEmpty ? ["127.0.0.1"] : outward
        }
        return addresses.map { address in
            "Join:  " + style.cyan("swift run workbook join \(address):\(port) \(code) --name NAME")
        }
    }

    /// What `serve` says first: where it listens, who can reach it, the code.
    static func introduction(host: String, port: UInt16, code: JoinCode, reused: Bool, folder: String, style: TextStyle) -> [String] {
        var lines = [style.bold("The live room is open on \(host):\(port)") + "   join code " + style.bold(code.description)
            + (reused ? style.dim(" (this folder's code, as before; --new-code makes another)") : "")]
        if host == "0.0.0.0" {
            let interfaces = NetworkAddresses.current()
            let outward = interfaces.filter { !$0.isLoopback }
            lines.append("Listening on every network interface: "
                + (outward.isEmpty ? "none is up besides this machine's own (127.0.0.1)" : outward.map { "\($0.address) (\($0.interface))" }.joined(separator: ", ")))
            lines.append(style.yellow("⚠ Anyone on these networks who has the join code can send reports.")
                + " On a public network (a café, a conference) use --bind with the classroom's address, or 127.0.0.1 to try it alone.")
        } else if host.hasPrefix("127.") {
            lines.append("Listening on \(host) only: learners on other machines cannot join (--bind 0.0.0.0 lets them).")
        } else {
            lines.append("Listening on \(host) only: learners join through that address.")
        }
        lines += joinLines(host: host, port: port, code: code, style: style)
        lines.append(style.dim("Reports go to \(folder)/. Stop with q then Enter, or Ctrl-C."))
        lines.append("")
        return lines
    }
}

/// Ctrl-C (SIGINT) or SIGTERM while the room is open: noted, so that the room closes cleanly
/// (the server stops, the last screen stays, the folder is complete) instead of dying mid-line.
final class StopRequest {
    private let requested = LockedValue(false)
    private let sources: [any DispatchSourceSignal]

    init() {
        var made: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            // The default action (ending the process) is switched off while a dispatch source
            // watches for the signal instead.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let requested = requested
            source.setEventHandler { requested.withLock { $0 = true } }
            source.resume()
            made.append(source)
        }
        sources = made
    }

    deinit {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    var isRequested: Bool { requested.withLock { $0 } }
}

extension Terminal {
    /// The terminal's height in rows; nil when standard output is not a terminal.
    static func height() -> Int? {
        var size = winsize()
        guard isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
        return Int(size.ws_row)
    }
}
