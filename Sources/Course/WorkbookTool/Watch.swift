import ConcurrentFutures
import Foundation
import SystemPlatform
import WorkbookCourse

/// Lines typed on standard input, read on a thread of their own so that watching the file
/// never waits for the keyboard.
final class LineReader: Sendable {
    private let lines = LockedValue<[String]>([])

    init() {
        let lines = lines
        let thread = Thread {
            while let line = readLine() { lines.withLock { $0.append(line) } }
        }
        thread.start()
    }

    /// The oldest line typed and not yet taken.
    func take() -> String? {
        lines.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }
}

extension Session {
    /// The keys of `watch`, shown after each check. They are read a line at a time (the
    /// terminal stays as it is: no raw mode to restore after Ctrl-C), so each needs Enter.
    static func watchKeys(style: TextStyle) -> String {
        style.dim("Save the file to check again.  Keys (type the letter, then press Enter):  ")
            + style.cyan("n") + style.dim(" next  ") + style.cyan("h") + style.dim(" hint  ") + style.cyan("c")
            + style.dim(" check now  ") + style.cyan("l") + style.dim(" list  ") + style.cyan("q") + style.dim(" quit")
    }

    /// Checks `exercise` now and again each time its file is saved (by polling: works on every
    /// file system, no inotify needed). Moves on only when asked.
    mutating func watch(_ start: Exercise) throws {
        var exercise = start
        store.state.current = exercise.id
        try store.save()
        let keys = Self.watchKeys(style: style)
        let input = LineReader()
        var lastStamp = ""
        while true {
            let stamp = workspace.stamp(of: exercise)
            if stamp != lastStamp {
                // Editors often write a file in several steps: wait until it stops changing.
                usleep(150_000)
                lastStamp = workspace.stamp(of: exercise)
                if isatty(1) == 1 { print("\u{1B}[2J\u{1B}[H", terminator: "") }
                print(style.dim("workbook watch — \(Date().formatted(date: .omitted, time: .standard))")
                    + "   keys: a letter, then Enter (q quits)")
                _ = try check(exercise)
                print("")
                print(keys)
            }
            if let command = input.take()?.trimmingCharacters(in: .whitespaces).lowercased() {
                switch command {
                case "q", "quit", "exit":
                    return
                case "n", "next":
                    guard let next = store.next(after: exercise) else {
                        print(style.green("Every exercise is done."))
                        continue
                    }
                    exercise = next
                    store.state.current = next.id
                    try store.save()
                    lastStamp = ""
                case "h", "hint":
                    try hint(exercise)
                    print(keys)
                case "l", "list":
                    printList()
                    print(keys)
                case "c", "check", "":
                    lastStamp = ""
                default:
                    print("Unknown key \"\(command)\". " + keys)
                }
            }
            usleep(250_000)
        }
    }
}
