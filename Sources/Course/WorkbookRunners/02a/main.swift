// The check runner of exercise 02a: `swift run workbook check 02a` builds and starts it.
import Exercise02a
import WorkbookChecks

WorkbookRunner.main(Check02a.self, .init(fetchBoth: fetchBoth))
