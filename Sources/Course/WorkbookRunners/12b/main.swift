// The check runner of exercise 12b: `swift run workbook check 12b` builds and starts it.
import Exercise12b
import WorkbookChecks

WorkbookRunner.main(Check12b.self, .init(statsType: UsageStats.self, serveAll: { sizes, pool, stats, serve in
    try serveAll(sizes, on: pool, stats: stats as! UsageStats, serve: serve)
}))
