// Exercise 14b · A polite link checker                                    lesson 14: Projects
//
// Check a list of links: fetch each one's HTTP status. Quickly, so several at once; but
// politely, so never more than `perHostLimit` requests to the same host at the same time
// (a server that sees forty requests at once from you may block you). Write `checkLinks` so
// that it:
//
//   1. fetches each distinct link once with `fetchStatus(link)` (a link listed twice is
//      fetched once; both places get its result), on `pool`;
//   2. never has more than `perHostLimit` fetches to one host running at once, while
//      different hosts are fetched at the same time;
//   3. returns one `LinkResult` per entry of `links`, in the same order: `.status(code)`, or
//      `.failed(description)` with `String(describing: error)` of the error the fetch threw.
//      A failing link is a result, not an error of `checkLinks`.
//
// One way: group the distinct links by host (`host(of:)`); split each host's links into at
// most `perHostLimit` lanes; submit one task per lane that fetches its links one after the
// other. A lane never overlaps itself, so a host never sees more requests than it has lanes.
//
// From ExerciseKit:  struct LinkResult { var link: String; var outcome: Outcome }
//                    enum Outcome { case status(Int); case failed(String) }
//                    func host(of link: String) -> String
//
// Check it:   swift run workbook check 14b        Stuck?  swift run workbook hint 14b
import ConcurrentFutures
import ExerciseKit

public func checkLinks(
    _ links: [String],
    on pool: ThreadPoolExecutor,
    perHostLimit: Int,
    fetchStatus: @escaping @Sendable (String) throws -> Int
) throws -> [LinkResult] {
    return try todo("group the distinct links by host, at most perHostLimit lanes per host, one task per lane")
}
