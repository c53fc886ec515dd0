// The check runner of exercise 03b: `swift run workbook check 03b` builds and starts it.
import Exercise03b
import WorkbookChecks

WorkbookRunner.main(Check03b.self, .init(lineTotals: lineTotals))
