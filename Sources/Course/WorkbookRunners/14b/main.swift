// The check runner of exercise 14b: `swift run workbook check 14b` builds and starts it.
import Exercise14b
import WorkbookChecks

WorkbookRunner.main(Check14b.self, .init(checkLinks: checkLinks))
