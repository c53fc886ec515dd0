// The check runner of exercise 08a: `swift run workbook check 08a` builds and starts it.
import Exercise08a
import WorkbookChecks

WorkbookRunner.main(Check08a.self, .init(fetchAll: fetchAll))
