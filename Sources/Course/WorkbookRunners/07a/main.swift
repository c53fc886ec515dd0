// The check runner of exercise 07a: `swift run workbook check 07a` builds and starts it.
import Exercise07a
import WorkbookChecks

WorkbookRunner.main(Check07a.self, .init(parseAll: parseAll))
