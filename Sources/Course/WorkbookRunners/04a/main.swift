// The check runner of exercise 04a: `swift run workbook check 04a` builds and starts it.
import Exercise04a
import WorkbookChecks

WorkbookRunner.main(Check04a.self, .init(raceMirrors: raceMirrors))
