import Testing

@testable import LessonSupport

private let info = LessonInfo(
    number: 3, title: "map", summary: "Shows map.",
    extraOptions: [.positiveInteger("--workers", help: "pool size"), .flag("--verbose", help: "say more")])

@Suite("LessonOptions")
struct LessonOptionsTests {
    @Test("no arguments: normal speed")
    func defaults() {
        #expect(LessonOptions.parse([], lesson: info) == .run(LessonOptions()))
        #expect(LessonOptions().scaled(.milliseconds(300)) == .milliseconds(300))
    }

    @Test("--fast divides durations by ten")
    func fast() {
        guard case .run(let options) = LessonOptions.parse(["--fast"], lesson: info) else {
            Issue.record("--fast was not accepted")
            return
        }
        #expect(options.fast)
        #expect(options.scaled(.milliseconds(300)) == .milliseconds(30))
    }

    @Test("WORKBOOK_FAST=1 also means fast; 0 or empty does not", arguments: [("1", true), ("true", true), ("0", false), ("", false)])
    func fastFromEnvironment(value: String, expected: Bool) {
        #expect(LessonOptions.parse([], environment: ["WORKBOOK_FAST": value], lesson: info) == .run(LessonOptions(fast: expected)))
    }

    @Test("--help and -h ask for help, wherever they appear", arguments: [["--help"], ["-h"], ["--fast", "--help"], ["--bogus", "-h"]])
    func help(arguments: [String]) {
        let outcome = LessonOptions.parse(arguments, lesson: info)
        if arguments.first == "--bogus" {
            #expect(outcome == .invalid("unknown option '--bogus'"))  // the first problem wins
        } else {
            #expect(outcome == .help)
        }
    }

    @Test("the help text names the lesson, what it shows and every option")
    func usage() {
        let text = LessonOptions.usage(for: info)
        #expect(text.hasPrefix("Lesson 03: map\n"))
        #expect(text.contains("Shows map."))
        #expect(text.contains("swift run lesson03"))
        for option in ["--fast", "--help", "--workers N", "--verbose"] {
            #expect(text.contains(option))
        }
    }

    @Test("after a mistake, a one-line usage")
    func synopsis() {
        #expect(LessonOptions.synopsis(for: info) == "usage: swift run lesson03 [--fast] [--step | --section N] [--workers N] [--verbose] [--help]")
    }

    @Test("unknown options and bad values are reported in one line",
          arguments: [
              (["--fats"], "unknown option '--fats'"),
              (["extra"], "unknown option 'extra'"),
              (["--workers"], "option '--workers' needs a value (N)"),
              (["--workers", "zero"], "invalid value 'zero' for option '--workers'"),
              (["--workers=-2"], "invalid value '-2' for option '--workers'"),
              (["--verbose=yes"], "option '--verbose' takes no value"),
          ])
    func invalid(arguments: [String], message: String) {
        #expect(LessonOptions.parse(arguments, lesson: info) == .invalid(message))
    }

    @Test("a lesson's own options are read with or without '='")
    func extraOptions() {
        let spaced = LessonOptions.parse(["--workers", "4", "--verbose"], lesson: info)
        let joined = LessonOptions.parse(["--workers=4", "--verbose"], lesson: info)
        #expect(spaced == joined)
        guard case .run(let options) = spaced else {
            Issue.record("not accepted")
            return
        }
        #expect(options.integer("--workers", default: 10) == 4)
        #expect(options.isSet("--verbose"))
        #expect(LessonOptions().integer("--workers", default: 10) == 10)
        #expect(!LessonOptions().isSet("--verbose"))
    }

    @Test("lesson commands are zero-padded")
    func command() {
        #expect(LessonInfo(number: 1, title: "", summary: "").command == "lesson01")
        #expect(LessonInfo(number: 15, title: "", summary: "").command == "lesson15")
    }
}
