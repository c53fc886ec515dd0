import ConcurrentFutures
import ExerciseKit

/// 14b A polite link checker: one result per link in order, each distinct link fetched once,
/// failures reported, at most perHostLimit per host at once, hosts in parallel.
public enum Check14b: ExerciseCheck {
    public typealias FetchStatus = @Sendable (String) throws -> Int
    public struct Implementation: Sendable {
        public var checkLinks: @Sendable ([String], ThreadPoolExecutor, Int, @escaping FetchStatus) throws -> [LinkResult]
        public init(checkLinks: @escaping @Sendable ([String], ThreadPoolExecutor, Int, @escaping FetchStatus) throws -> [LinkResult]) {
            self.checkLinks = checkLinks
        }
    }

    public static let exerciseID = "14b"
    /// The requests to each host, at most perHostLimit at once, the hosts side by side.
    public static let timeline = TimelineChoice.scenario(1)

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("one result per link, in input order; each distinct link fetched once; failures reported") { ctx in
                try ctx.withPool(maxWorkers: 4) { pool in
                    let links = [
                        "http://a.test/1", "http://b.test/1", "http://a.test/2", "http://a.test/1",
                        "http://c.test/x", "http://b.test/404", "http://a.test/boom", "http://b.test/1",
                    ]
                    let fetches = LockedValue([String: Int]())
                    let results = try ctx.step("calling checkLinks(8 links on 3 hosts, perHostLimit: 2)") {
                        try impl.checkLinks(links, pool, 2) { link in
                            fetches.withLock { $0[link, default: 0] += 1 }
                            if link.hasSuffix("/boom") { throw PlantedError("connection reset") }
                            return link.hasSuffix("/404") ? 404 : 200
                        }
                    }
                    let expected = links.map { link in
                        LinkResult(link: link, outcome: link.hasSuffix("/boom")
                            ? .failed(String(describing: PlantedError("connection reset")))
                            : .status(link.hasSuffix("/404") ? 404 : 200))
                    }
                    try requireEqual(results.count, links.count, .result, "checkLinks must return one result per entry of links")
                    if Set(results.map(\.link)) == Set(links) && results.map(\.link) != links {
                        throw CheckFailure(.order, "checkLinks returned the results in another order than the links'",
                            expected: links.joined(separator: ", "), actual: results.map(\.link).joined(separator: ", "),
                            advice: "Keep the outcome of each distinct link in a dictionary, then `links.map { ... }` in the input's order.")
                    }
                    try requireEqual(results, expected, .result,
                        "checkLinks must return one result per entry of links, in the same order, with the status or the failure's description",
                        advice: "A failure's outcome is `.failed(String(describing: error))`: the error's own description, not `localizedDescription`.")
                    let counts = fetches.withLock { $0 }
                    let repeated = counts.filter { $0.value > 1 }.keys.sorted()
                    try require(repeated.isEmpty, .result, "some links were fetched more than once: \(repeated.joined(separator: ", "))",
                        advice: "Fetch the distinct links; give duplicates the result of the first.")
                }
            },
            Scenario("at most perHostLimit requests to one host at once, and hosts in parallel", timeLimit: 8) { ctx in
                try ctx.withPool(maxWorkers: 8) { pool in
                    let links = (1...10).flatMap { ["http://one.test/\($0)", "http://two.test/\($0)"] }
                    let perHost = KeyedConcurrencyProbe()
                    let overlap = ctx.rendezvous("three requests at the same time", parties: 3, distinctThreads: true)
                    let witness = ThreadWitness()
                    let results = try ctx.step("calling checkLinks(20 links on 2 hosts, perHostLimit: 2, on: a pool of 8 workers)") {
                        try impl.checkLinks(links, pool, 2) { link in
                            let server = host(of: link)
                            ctx.labelTask(String(server.prefix(3)) + (link.split(separator: "/").last.map(String.init) ?? ""))
                            return perHost.measure(server) {
                                witness.note()
                                overlap.arrive()
                                // Each request lasts until a third one to its host shows up, or
                                // for a moment: requests that may overlap do.
                                _ = ctx.eventually(timeout: 0.05) { perHost.current(server) > 2 }
                                return 200
                            }
                        }
                    }
                    try requireRanOnPool(witness, pool, "a fetch")
                    try requireEqual(results.count, 20, .result, "one result per link")
                    let peaks = perHost.peaks
                    let rude = peaks.filter { $0.value > 2 }
                    try require(rude.isEmpty, .limit,
                        "a host got more requests at once than perHostLimit allows",
                        expected: "at most 2 per host", actual: peaks.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "),
                        advice: "One task per link lets the pool's 8 workers hit one host 8 at a time. Group the links by host and give each host at most perHostLimit tasks (lanes).")
                    try require(overlap.met, .concurrency,
                        "three requests never ran at the same time: the two hosts were not fetched side by side (or each host one at a time)",
                        advice: "Submit the lanes of every host before waiting for any.")
                }
            },
        ]
    }
}
