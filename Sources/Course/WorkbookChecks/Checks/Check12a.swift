import ConcurrentFutures

/// 12a Fix the deadlocking pipeline: completes on a small pool (a pool of one worker too),
/// results in order, concurrent parsing, errors of either stage unchanged.
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
            Scenario("runs 6 documents through both stages on a pool of 2 workers, results in order") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let overlap = ctx.rendezvous("two documents parsed at the same time")
                    let results = try ctx.step("calling runPipeline(6 documents, on: a pool of 2 workers)") {
                        try impl.runPipeline(documents, pool, { document in
                            overlap.arrive()
                            return words(document)
                        }, { words in words.count * 10 })
                    }
                    try requireEqual(results, [10, 20, 30, 40, 50, 60], .order,
                        "the results are wrong or not in document order")
                    try require(overlap.met, .concurrency, "the documents were parsed one at a time",
                        advice: "Submit every parse before waiting for anything.")
                }
            },
            Scenario("runs on a pool of a single worker") { ctx in
                try ctx.withPool(maxWorkers: 1) { pool in
                    let results = try ctx.step("calling runPipeline(6 documents, on: a pool of 1 worker)") {
                        try impl.runPipeline(documents, pool, words) { words in words.count }
                    }
                    try requireEqual(results, [1, 2, 3, 4, 5, 6], .order, "the results are wrong or not in document order")
                }
            },
            Scenario("an error of parse comes out of runPipeline unchanged") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let error = try ctx.step("calling runPipeline where parsing d3 throws") {
                        try requireThrows(.errors, "runPipeline returned although parsing d3 failed") {
                            try impl.runPipeline(documents, pool, { document in
                                if document == "d3" { throw PlantedError("d3 is not text") }
                                return words(document)
                            }, { $0.count })
                        }
                    }
                    try require(isPlanted(error, "d3 is not text"), .errors, "runPipeline threw a different error",
                        expected: "PlantedError(d3 is not text)", actual: show(error))
                }
            },
            Scenario("an error of index comes out of runPipeline unchanged") { ctx in
                try ctx.withPool(maxWorkers: 2) { pool in
                    let error = try ctx.step("calling runPipeline where indexing d4's words throws") {
                        try requireThrows(.errors, "runPipeline returned although indexing d4 failed") {
                            try impl.runPipeline(documents, pool, words) { words in
                                if words.first == "d4" { throw PlantedError("index of d4 is full") }
                                return words.count
                            }
                        }
                    }
                    try require(isPlanted(error, "index of d4 is full"), .errors, "runPipeline threw a different error",
                        expected: "PlantedError(index of d4 is full)", actual: show(error))
                }
            },
        ]
    }
}
