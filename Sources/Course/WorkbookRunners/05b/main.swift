// The check runner of exercise 05b: `swift run workbook check 05b` builds and starts it.
import Exercise05b
import WorkbookChecks

WorkbookRunner.main(Check05b.self, .init(runAllOrFailFast: runAllOrFailFast))
