import SystemPlatform

/// What the lessons know about the terminal they print to: whether colour is welcome and how wide it is.
///
/// Colour is used only when standard output is a terminal and the `NO_COLOR` convention
/// (https://no-color.org) does not ask for plain text, so `swift run lesson01 | less` or a
/// test log never sees escape codes.
public enum Terminal {
    /// A text style, written as an ANSI "select graphic rendition" code.
    public enum Style: String, Sendable, CaseIterable {
        case bold = "1"
        case dim = "2"
        case italic = "3"
        case underline = "4"
        case red = "31"
        case green = "32"
        case yellow = "33"
        case blue = "34"
        case magenta = "35"
        case cyan = "36"
        case gray = "90"
    }

    /// `true` when standard output is a terminal (not a pipe or a file).
    public static var isTTY: Bool { isatty(1) != 0 }

    /// `true` when lesson output should be coloured: a terminal, `NO_COLOR` unset or empty, `TERM` not `dumb`.
    public static var isColorEnabled: Bool {
        colorDecision(isTTY: isTTY, environment: Environment.current)
    }

    /// The rule behind `isColorEnabled`, separated from the process so it can be tested.
    public static func colorDecision(isTTY: Bool, environment: [String: String]) -> Bool {
        guard isTTY else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return true
    }

    /// The width of the output in columns: `COLUMNS` if it holds a positive number (as in
    /// Python's `shutil.get_terminal_size`), else the terminal's own size, else 80.
    public static var width: Int {
        widthDecision(environment: Environment.current, terminalColumns: terminalColumns())
    }

    /// The rule behind `width`, separated from the process so it can be tested.
    public static func widthDecision(environment: [String: String], terminalColumns: Int?) -> Int {
        if let text = environment["COLUMNS"], let columns = Int(text), columns > 0 { return columns }
        if let columns = terminalColumns, columns > 0 { return columns }
        return 80
    }

    /// Asks the kernel for the size of the terminal on standard output (`ioctl(TIOCGWINSZ)`); `nil` if it is not one.
    public static func terminalColumns() -> Int? {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Wraps `text` in the escape codes for `styles` when `enabled`, and returns it untouched otherwise.
    public static func paint(_ text: String, _ styles: Style..., enabled: Bool = isColorEnabled) -> String {
        paint(text, styles, enabled: enabled)
    }

    /// Array form of `paint(_:_:enabled:)`.
    public static func paint(_ text: String, _ styles: [Style], enabled: Bool) -> String {
        guard enabled, !styles.isEmpty, !text.isEmpty else { return text }
        let codes = styles.map(\.rawValue).joined(separator: ";")
        return "\u{1B}[\(codes)m\(text)\u{1B}[0m"
    }

    /// Removes ANSI escape sequences, e.g. to measure how many columns a painted string takes.
    public static func stripEscapes(_ text: String) -> String {
        var plain = ""
        var inEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if ("@"..."~").contains(scalar) && scalar != "[" { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
            } else {
                plain.unicodeScalars.append(scalar)
            }
        }
        return plain
    }

    /// Pushes buffered standard output to the terminal now (needed after text without a new line).
    public static func flush() {
        fflush(nil)
    }

    /// The number of columns `text` occupies once printed (escape codes take none).
    public static func visibleWidth(_ text: String) -> Int {
        stripEscapes(text).count
    }
}

/// The process environment as a dictionary, read through the platform layer so LessonSupport
/// needs no Foundation.
enum Environment {
    static var current: [String: String] {
        var result: [String: String] = [:]
        for pair in currentEnvironment() {
            if let equals = pair.firstIndex(of: "=") {
                result[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
        }
        return result
    }
}
