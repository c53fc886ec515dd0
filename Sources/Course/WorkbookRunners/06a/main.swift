// The check runner of exercise 06a: `swift run workbook check 06a` builds and starts it.
import Exercise06a
import WorkbookChecks

WorkbookRunner.main(Check06a.self, .init(counterType: ProgressCounter.self))
