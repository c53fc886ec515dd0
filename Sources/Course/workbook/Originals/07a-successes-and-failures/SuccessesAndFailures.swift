// Exercise 07a · Successes and failures, each with its input              lesson 07: Exceptions
//
// A file of numbers, one per line, some of them garbage. Parse every line on the pool, and
// come back with two lists: what parsed, and what did not, with the reason. An error must
// never get lost, and never be separated from the line it belongs to. Write `parseAll` so that:
//
//   1. every line is parsed with `parse(line)` on `pool`, several at a time;
//   2. each line ends up in exactly one of the two lists: `parsed` (the line and its value) or
//      `failed` (the line and the very error its parse threw, not a copy or a description);
//   3. both lists keep the order of `lines`;
//   4. a failing line does not stop the others, and `parseAll` itself does not throw because
//      of one.
//
// From ExerciseKit:  struct ParseReport { var parsed: [Parsed]; var failed: [ParseFailure] }
//                    struct Parsed { var line: String; var value: Int }
//                    struct ParseFailure { var line: String; var error: any Error }
//
// Careful: `pool.map` stops at the first error (lesson 03). What do you need instead?
//
// Check it:   swift run workbook check 07a        Stuck?  swift run workbook hint 07a
import ConcurrentFutures
import ExerciseKit

public func parseAll(
    _ lines: [String],
    on pool: ThreadPoolExecutor,
    parse: @escaping @Sendable (String) throws -> Int
) throws -> ParseReport {
    return try todo("submit one parse per line, then sort each line's outcome into parsed or failed")
}
