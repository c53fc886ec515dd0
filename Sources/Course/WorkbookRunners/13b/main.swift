// The check runner of exercise 13b: `swift run workbook check 13b` builds and starts it.
import Exercise13b
import WorkbookChecks

WorkbookRunner.main(Check13b.self, .init(processStream: { records, pool, maxInFlight, process in
    try processStream(records, on: pool, maxInFlight: maxInFlight, process: process)
}))
