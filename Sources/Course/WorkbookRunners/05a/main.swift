// The check runner of exercise 05a: `swift run workbook check 05a` builds and starts it.
import Exercise05a
import WorkbookChecks

WorkbookRunner.main(Check05a.self, .init(firstGoodAnswer: firstGoodAnswer))
