import SystemPlatform

/// The command line every lesson understands: `--fast`, `--step`, `--section N`, `--help`,
/// plus any options the lesson adds.
///
/// ```swift
/// let options = LessonOptions.parseOrExit(
///     LessonInfo(number: 1, title: "Why pools", summary: "Ten slow downloads, one by one and then with a pool.",
///                sections: ["One page after another", "The same pages on a pool"]))
/// let delay = options.scaled(.milliseconds(300))   // 300 ms, or 30 ms with --fast
/// ```
public struct LessonOptions: Sendable, Equatable {
    /// Fast mode: every `scaled` duration is divided by `fastDivisor`, for tests and quick reading.
    public var fast: Bool
    /// How the lesson is presented: all at once, a pause after each section, or one section.
    public var presentation: Presenter.Mode
    /// Values of the lesson's own options, by name (`"--workers"`); flags that were given map to `""`.
    public var values: [String: String]

    /// How much shorter durations are in fast mode.
    public static let fastDivisor = 10

    /// Options as they are when nothing is given on the command line.
    public init(fast: Bool = false, presentation: Presenter.Mode = .continuous, values: [String: String] = [:]) {
        self.fast = fast
        self.presentation = presentation
        self.values = values
    }

    /// `duration` at normal speed, or a tenth of it in fast mode.
    public func scaled(_ duration: Duration) -> Duration {
        fast ? duration / Self.fastDivisor : duration
    }

    /// `true` if the lesson's flag `name` (e.g. `"--verbose"`) was given.
    public func isSet(_ name: String) -> Bool {
        values[name] != nil
    }

    /// The text given for the lesson's option `name`, or `defaultValue` if it was not given.
    public func text(_ name: String, default defaultValue: String) -> String {
        values[name] ?? defaultValue
    }

    /// The integer value of the lesson's option `name`, or `defaultValue` if it was not given.
    public func integer(_ name: String, default defaultValue: Int) -> Int {
        values[name].flatMap { Int($0) } ?? defaultValue
    }
}

/// What a lesson's `--help` says about it.
public struct LessonInfo: Sendable {
    public var number: Int
    public var title: String
    /// One or two sentences: what the lesson shows.
    public var summary: String
    /// The titles of the lesson's sections, in order: `section(_:)` numbers them from 1, and
    /// `--section N` and `--help` use them.
    public var sections: [String]
    /// Options this lesson understands on top of the ones every lesson has.
    public var extraOptions: [LessonOption]

    public init(number: Int, title: String, summary: String, sections: [String] = [], extraOptions: [LessonOption] = []) {
        self.number = number
        self.title = title
        self.summary = summary
        self.sections = sections
        self.extraOptions = extraOptions
    }

    /// The executable's name, e.g. `lesson01`.
    public var command: String {
        number < 10 ? "lesson0\(number)" : "lesson\(number)"
    }
}

/// An option a lesson adds: a flag (`--verbose`) or an option with a value (`--workers N`).
public struct LessonOption: Sendable {
    public var name: String
    /// The value's placeholder in the help text (`"N"`), or `nil` for a flag.
    public var valueName: String?
    public var help: String
    /// For options with a value: accepts or rejects the text given on the command line.
    public var isValid: @Sendable (String) -> Bool

    /// A flag such as `--verbose`: present or absent.
    public static func flag(_ name: String, help: String) -> LessonOption {
        LessonOption(name: name, valueName: nil, help: help, isValid: { _ in true })
    }

    /// An option taking one of a few words, such as `--executor processes`.
    public static func choice(_ name: String, _ choices: [String], help: String) -> LessonOption {
        LessonOption(name: name, valueName: choices.joined(separator: "|"), help: help, isValid: { choices.contains($0) })
    }

    /// An option taking a positive whole number, such as `--workers 4` or `--workers=4`.
    public static func positiveInteger(_ name: String, valueName: String = "N", help: String) -> LessonOption {
        LessonOption(name: name, valueName: valueName, help: help, isValid: { (Int($0) ?? 0) > 0 })
    }
}

extension LessonOptions {
    /// The result of reading a command line.
    public enum ParseOutcome: Sendable, Equatable {
        /// Run the lesson with these options.
        case run(LessonOptions)
        /// `--help` or `-h`: print `LessonOptions.usage(for:)` and exit 0.
        case help
        /// A mistake on the command line: print the message and the usage to stderr, exit 2.
        case invalid(String)
    }

    /// Reads `arguments` (without the program name) and the environment (`WORKBOOK_FAST=1` means `--fast`).
    public static func parse(_ arguments: [String], environment: [String: String] = [:], lesson: LessonInfo) -> ParseOutcome {
        var options = LessonOptions(fast: isTruthy(environment["WORKBOOK_FAST"]))
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--help", "-h":
                return .help
            case "--fast":
                options.fast = true
            case "--step":
                guard options.presentation == .continuous else { return .invalid("--step and --section do not go together") }
                options.presentation = .stepping
            case let argument where argument == "--section" || argument.hasPrefix("--section="):
                guard options.presentation == .continuous else { return .invalid("--step and --section do not go together") }
                let (_, inlineValue) = splitInlineValue(argument)
                guard let value = inlineValue ?? remaining.popFirst() else { return .invalid("option '--section' needs a value (N)") }
                let count = lesson.sections.count
                guard let number = Int(value), (1...max(count, 1)).contains(number), count > 0 else {
                    return .invalid("no section '\(value)': \(lesson.command) has sections 1 to \(count) (see --help)")
                }
                options.presentation = .single(number)
            default:
                let (name, inlineValue) = splitInlineValue(argument)
                guard let option = lesson.extraOptions.first(where: { $0.name == name }) else {
                    return .invalid("unknown option '\(argument)'")
                }
                guard let valueName = option.valueName else {
                    if inlineValue != nil { return .invalid("option '\(name)' takes no value") }
                    options.values[name] = ""
                    continue
                }
                guard let value = inlineValue ?? remaining.popFirst() else {
                    return .invalid("option '\(name)' needs a value (\(valueName))")
                }
                guard option.isValid(value) else {
                    return .invalid("invalid value '\(value)' for option '\(name)'")
                }
                options.values[name] = value
            }
        }
        return .run(options)
    }

    /// Parses the process's own command line and sets up the lesson's presenter (see
    /// `Presenter`); prints help and exits 0, or prints an error and exits 2.
    public static func parseOrExit(_ lesson: LessonInfo, arguments: [String] = CommandLine.arguments) -> LessonOptions {
        switch parse(Array(arguments.dropFirst()), environment: Environment.current, lesson: lesson) {
        case .run(let options):
            Presenter.current = Presenter(
                info: lesson, mode: options.presentation, readLine: { Swift.readLine() }, write: Presenter.writeToStandardOutput)
            return options
        case .help:
            print(usage(for: lesson), terminator: "")
            exit(0)
        case .invalid(let message):
            writeToStandardError("\(lesson.command): \(message)\n\(synopsis(for: lesson))\n")
            exit(2)
        }
    }

    /// The one-line usage shown after a mistake:
    /// `usage: swift run lesson01 [--fast] [--step | --section N] [--workers N] [--help]`.
    public static func synopsis(for lesson: LessonInfo) -> String {
        let extras = lesson.extraOptions.map { option in "[" + option.name + (option.valueName.map { " " + $0 } ?? "") + "]" }
        return (["usage: swift run \(lesson.command)", "[--fast]", "[--step | --section N]"] + extras + ["[--help]"]).joined(separator: " ")
    }

    /// The `--help` text: title, what the lesson shows, how to run it, its options, its sections.
    public static func usage(for lesson: LessonInfo) -> String {
        var rows: [(String, String)] = [
            ("--fast", "\(fastDivisor)x shorter delays (or set WORKBOOK_FAST=1)"),
            ("--step", "presenter mode: pause after each section; Enter goes on, q then Enter stops"),
            ("--section N", "show section N only (the sections before it run first, unseen)"),
        ]
        for option in lesson.extraOptions {
            rows.append((option.valueName.map { "\(option.name) \($0)" } ?? option.name, option.help))
        }
        rows.append(("-h, --help", "show this help and exit"))
        let nameWidth = rows.map(\.0.count).max() ?? 0
        var text = "Lesson \(lesson.number < 10 ? "0" : "")\(lesson.number): \(lesson.title)\n\n"
        text += "\(lesson.summary)\n\n"
        text += "Usage: swift run \(lesson.command) [options]\n\nOptions:\n"
        for (name, help) in rows {
            text += "  " + name + String(repeating: " ", count: nameWidth - name.count + 2) + help + "\n"
        }
        if !lesson.sections.isEmpty {
            text += "\nSections (for --section N):\n"
            for (index, title) in lesson.sections.enumerated() {
                text += "  \(index + 1). \(title)\n"
            }
        }
        return text
    }

    private static func splitInlineValue(_ argument: String) -> (name: String, value: String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    private static func isTruthy(_ value: String?) -> Bool {
        guard let value = value?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(value)
    }
}

/// Writes `text` to standard error unbuffered (a lesson's diagnostics must not wait behind stdout).
func writeToStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
        if written < 0 {
            if errno == EINTR { continue }
            return
        }
        offset += written
    }
}
