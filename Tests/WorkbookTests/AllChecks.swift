import ConcurrentFutures
import Exercise02a
import Exercise02b
import Exercise03a
import Exercise03b
import Exercise04a
import Exercise05a
import Exercise05b
import Exercise06a
import Exercise07a
import Exercise08a
import Exercise09a
import Exercise10a
import Exercise11a
import Exercise12a
import Exercise12b
import Exercise13a
import Exercise13b
import Exercise14a
import Exercise14b
import Exercise15a
import Exercise15b
import Solutions
import WorkbookChecks

// Every exercise's checks, against the solution and against the learner's exercise: the same
// checks, two implementations. (The runners in Sources/Course/WorkbookRunners hold the same lines for
// the exercises.)

enum AllChecks {
    static func solution(_ id: String) -> PreparedCheck {
        let module = "Solutions"
        switch id {
        case "02a": return Check02a.prepare(.init(fetchBoth: Solutions.fetchBoth), module: module)
        case "02b": return Check02b.prepare(.init(submitOrders: Solutions.submitOrders, board: Solutions.board, total: Solutions.total), module: module)
        case "03a": return Check03a.prepare(.init(renderInOrder: Solutions.renderInOrder), module: module)
        case "03b": return Check03b.prepare(.init(lineTotals: Solutions.lineTotals), module: module)
        case "04a": return Check04a.prepare(.init(raceMirrors: Solutions.raceMirrors), module: module)
        case "05a": return Check05a.prepare(.init(firstGoodAnswer: Solutions.firstGoodAnswer), module: module)
        case "05b": return Check05b.prepare(.init(runAllOrFailFast: Solutions.runAllOrFailFast), module: module)
        case "06a": return Check06a.prepare(.init(counterType: Solutions.ProgressCounter.self), module: module)
        case "07a": return Check07a.prepare(.init(parseAll: Solutions.parseAll), module: module)
        case "08a": return Check08a.prepare(.init(fetchAll: Solutions.fetchAll), module: module)
        case "09a": return Check09a.prepare(.init(findFirst: Solutions.findFirst), module: module)
        case "10a": return Check10a.prepare(.init(serviceType: Solutions.ResizeService.self), module: module)
        case "11a": return Check11a.prepare(.init(
            tasks: Solutions.primeTasks, worker: .sibling(named: "WorkbookSolutionWorker"),
            countInBlock: { try Solutions.CountPrimesInBlock.run(Solutions.PrimeBlock(lower: $0, upper: $1)) },
            countPrimes: Solutions.countPrimes), module: module)
        case "12a": return Check12a.prepare(.init(runPipeline: Solutions.runPipeline), module: module)
        case "12b": return Check12b.prepare(.init(statsType: Solutions.UsageStats.self, serveAll: { sizes, pool, stats, serve in
            try Solutions.serveAll(sizes, on: pool, stats: stats as! Solutions.UsageStats, serve: serve)
        }), module: module)
        case "13a": return Check13a.prepare(.init(executorType: Solutions.MonitoredExecutor.self), module: module)
        case "13b": return Check13b.prepare(.init(processStream: { try Solutions.processStream($0, on: $1, maxInFlight: $2, process: $3) }), module: module)
        case "14a": return Check14a.prepare(.init(countWords: { try Solutions.countWords(inFolder: $0, maxWorkers: $1, readFile: $2) }), module: module)
        case "14b": return Check14b.prepare(.init(checkLinks: Solutions.checkLinks), module: module)
        case "15a": return Check15a.prepare(.init(renderAsync: Solutions.renderAsync), module: module)
        case "15b": return Check15b.prepare(.init(runWithTaskGroup: Solutions.runWithTaskGroup), module: module)
        default: fatalError("no checks for exercise \(id): add it here")
        }
    }

    static func exercise(_ id: String) -> PreparedCheck {
        let module = "Exercise" + id
        switch id {
        case "02a": return Check02a.prepare(.init(fetchBoth: Exercise02a.fetchBoth), module: module)
        case "02b": return Check02b.prepare(.init(submitOrders: Exercise02b.submitOrders, board: Exercise02b.board, total: Exercise02b.total), module: module)
        case "03a": return Check03a.prepare(.init(renderInOrder: Exercise03a.renderInOrder), module: module)
        case "03b": return Check03b.prepare(.init(lineTotals: Exercise03b.lineTotals), module: module)
        case "04a": return Check04a.prepare(.init(raceMirrors: Exercise04a.raceMirrors), module: module)
        case "05a": return Check05a.prepare(.init(firstGoodAnswer: Exercise05a.firstGoodAnswer), module: module)
        case "05b": return Check05b.prepare(.init(runAllOrFailFast: Exercise05b.runAllOrFailFast), module: module)
        case "06a": return Check06a.prepare(.init(counterType: Exercise06a.ProgressCounter.self), module: module)
        case "07a": return Check07a.prepare(.init(parseAll: Exercise07a.parseAll), module: module)
        case "08a": return Check08a.prepare(.init(fetchAll: Exercise08a.fetchAll), module: module)
        case "09a": return Check09a.prepare(.init(findFirst: Exercise09a.findFirst), module: module)
        case "10a": return Check10a.prepare(.init(serviceType: Exercise10a.ResizeService.self), module: module)
        case "11a": return Check11a.prepare(.init(
            tasks: Exercise11a.primeTasks, worker: .sibling(named: "check-11a"),
            countInBlock: { try Exercise11a.CountPrimesInBlock.run(Exercise11a.PrimeBlock(lower: $0, upper: $1)) },
            countPrimes: Exercise11a.countPrimes), module: module)
        case "12a": return Check12a.prepare(.init(runPipeline: Exercise12a.runPipeline), module: module)
        case "12b": return Check12b.prepare(.init(statsType: Exercise12b.UsageStats.self, serveAll: { sizes, pool, stats, serve in
            try Exercise12b.serveAll(sizes, on: pool, stats: stats as! Exercise12b.UsageStats, serve: serve)
        }), module: module)
        case "13a": return Check13a.prepare(.init(executorType: Exercise13a.MonitoredExecutor.self), module: module)
        case "13b": return Check13b.prepare(.init(processStream: { try Exercise13b.processStream($0, on: $1, maxInFlight: $2, process: $3) }), module: module)
        case "14a": return Check14a.prepare(.init(countWords: { try Exercise14a.countWords(inFolder: $0, maxWorkers: $1, readFile: $2) }), module: module)
        case "14b": return Check14b.prepare(.init(checkLinks: Exercise14b.checkLinks), module: module)
        case "15a": return Check15a.prepare(.init(renderAsync: Exercise15a.renderAsync), module: module)
        case "15b": return Check15b.prepare(.init(runWithTaskGroup: Exercise15b.runWithTaskGroup), module: module)
        default: fatalError("no checks for exercise \(id): add it here")
        }
    }
}
