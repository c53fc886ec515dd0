// The check runner of exercise 15b: `swift run workbook check 15b` builds and starts it.
import Exercise15b
import WorkbookChecks

WorkbookRunner.main(Check15b.self, .init(runWithTaskGroup: runWithTaskGroup))
