import ConcurrentFutures
import Foundation

/// 12a Fix the deadlocking pipeline: completes on a small pool (a pool of one worker too), both
/// stages on the caller's pool, each document parsed and indexed once, results in document order
/// even when the first document is indexed last, concurrent parsing, errors of either stage
/// unchanged.
public enum Check12a: ExerciseCheck {
    public typealias Parse = @Sendable (String) throws -> [String]
    public typealias Index = @Sendable ([String]) throws -> Int
    public struct Implementation: Sendable {
        public var runPipeline: @Sendable ([String], ThreadPoolExecutor, @escaping Parse, @escaping Index) throws -> [Int]
        public init(runPipeline: @escaping @Sendable ([String], ThreadPoolExecutor, @escaping Parse, @escaping Index) throws -> [Int]) {
            self.runPipeline = runPipeline
        }
    }

    public static let exerciseID = "12a"

    static let documents = ["d0", "d1", "d2", "d3", "d4", "d5"]
    static func words(_ document: String) -> [String] {
        Array(repeating: document, count: Int(document.dropFirst())! + 1)
    }

    public static func scenarios(_ impl: Implementation) -> [Scenario] {
        [
            Scenario("runs 6 documents through both stages on the pool it is given (2 workers), each once, results in order") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let overlap = ctx.rendezvous("two documents parsed at the same time")
                    let parseWitness = ThreadWitness()
                    let indexWitness = ThreadWitness()
                    let parsed = EventLog()
                    let indexed = EventLog()
                    let results = try ctx.step("calling runPipeline(6 documents, on: a pool of 2 workers)") {
                        try impl.runPipeline(documents, pool, { document in
                            ctx.labelTask(document)
                            parseWitness.note()
                            parsed.record(document)
                            overlap.arrive()
                            return words(document)
                        }, { words in
                            ctx.labelTask("i:" + (words.first ?? ""))
                            indexWitness.note()
                            indexed.record(words.first ?? "")
                            return words.count * 10
                        })
                    }
                    try requireRanOnPool(parseWitness, pool, "parsing")
                    try requireRanOnPool(indexWitness, pool, "indexing",
                        advice: "Both stages are tasks on `pool`: submit the index of a document's words too, from the caller (once its parse is done) or from a done-callback, without waiting inside a task.")
                    try requireEqual(results, [10, 20, 30, 40, 50, 60], .order,
                        "the results are wrong or not in document order")
                    try requireEqual(parsed.all.sorted(), documents, .result, "each document must be parsed exactly once")
                    try requireEqual(indexed.all.sorted(), documents, .result, "each document's words must be indexed exactly once")
                    try require(overlap.met, .concurrency, "the documents were parsed one at a time",
                        advice: "Submit every parse before waiting for anything.")
                }
            },
            Scenario("runs on a pool of a single worker; repeats and none") { ctx in
                try ctx.withPool(maxWorkers: 1) { pool in
                    let results = try ctx.step("calling runPipeline(6 documents, on: a pool of 1 worker)") {
                        try impl.runPipeline(documents, pool, words) { words in words.count }
                    }
                    try requireEqual(results, [1, 2, 3, 4, 5, 6], .order, "the results are wrong or not in document order")
                    let repeated = try ctx.step("calling runPipeline([d2, d2, d1])") { try impl.runPipeline(["d2", "d2", "d1"], pool, words) { $0.count } }
                    try requireEqual(repeated, [3, 3, 2], .result, "a document listed twice has a result each time")
                    let none = try ctx.step("calling runPipeline([])") { try impl.runPipeline([], pool, words) { $0.count } }
                    try requireEqual(none, [], .result, "no documents, no results")
                }
            },
            Scenario("the first document is indexed last: the results are still in document order") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    // d0's index holds one worker until the other five are indexed (on the
                    // other worker) and runPipeline is waiting.
                    let others = LockedValue(0)
                    let results = try ctx.step("calling runPipeline(6 documents, on: 2 workers) where d0's words are indexed last") {
                        try impl.runPipeline(documents, pool, words) { words in
                            if words.first == "d0" {
                                _ = ctx.eventually(timeout: 3) { others.withLock { $0 } == 5 }
                                let release = DispatchSemaphore(value: 0)
                                ctx.whenCallerWaits { release.signal() }
                                release.wait()
                            } else {
                                others.withLock { $0 += 1 }
                            }
                            return words.count
                        }
                    }
                    try requireEqual(results, [1, 2, 3, 4, 5, 6], .order, "the results are not in document order when d0 finishes last",
                        advice: "Keep one result per document in the documents' order (futures in an array), not in the order they finish.")
                }
            },
            Scenario("an error of parse comes out of runPipeline unchanged") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let planted = PlantedError("d3 is not text")
                    let error = try ctx.step("calling runPipeline where parsing d3 throws") {
                        try requireThrows(.errors, "runPipeline returned although parsing d3 failed") {
                            try impl.runPipeline(documents, pool, { document in
                                if document == "d3" { throw planted }
                                return words(document)
                            }, { $0.count })
                        }
                    }
                    try require(isPlanted(error, planted), .errors, "runPipeline threw a different error",
                        expected: "\(planted)", actual: "\(show(error)) (\(type(of: error)))")
                }
            },
            Scenario("an error of index comes out of runPipeline unchanged") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let planted = PlantedError("index of d4 is full")
                    let error = try ctx.step("calling runPipeline where indexing d4's words throws") {
                        try requireThrows(.errors, "runPipeline returned although indexing d4 failed") {
                            try impl.runPipeline(documents, pool, words) { words in
                                if words.first == "d4" { throw planted }
                                return words.count
                            }
                        }
                    }
                    try require(isPlanted(error, planted), .errors, "runPipeline threw a different error",
                        expected: "\(planted)", actual: "\(show(error)) (\(type(of: error)))")
                }
            },
        ]
    }
}
