import Foundation
import SystemPlatform
import WorkbookCourse

/// What the tool knows about where it prints.
enum Terminal {
    /// Colours only on a terminal, never with NO_COLOR (https://no-color.org) or TERM=dumb.
    static func style(environment: [String: String] = ProcessInfo.processInfo.environment) -> TextStyle {
        let colors = isatty(1) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        return TextStyle(colors: colors, width: min(width(environment: environment), 110))
    }

    /// The terminal's width, from the terminal itself, or COLUMNS, or 80.
    static func width(environment: [String: String]) -> Int {
        var size = winsize()
        if isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return environment["COLUMNS"].flatMap(Int.init) ?? 80
    }

    /// Whether standard input is a terminal (someone can answer a question).
    static var isInteractive: Bool { isatty(0) == 1 }
}

/// Standard error, for error messages.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// "███████░░░░░░░░  7/21"
func progressBar(done: Int, total: Int, width: Int = 30, style: TextStyle) -> String {
    let filled = total == 0 ? 0 : Int((Double(done) / Double(total) * Double(width)).rounded())
    return style.green(String(repeating: "█", count: filled)) + style.dim(String(repeating: "░", count: width - filled))
        + "  \(done)/\(total)"
}

/// Pads `text` with spaces to `width` characters (colour codes do not count).
func pad(_ text: String, _ width: Int) -> String {
    let visible = text.replacing(/\u{1B}\[[0-9;]*m/, with: "").count
    return text + String(repeating: " ", count: max(0, width - visible))
}
