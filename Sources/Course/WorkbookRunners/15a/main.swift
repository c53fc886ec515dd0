// The check runner of exercise 15a: `swift run workbook check 15a` builds and starts it.
import Exercise15a
import WorkbookChecks

WorkbookRunner.main(Check15a.self, .init(renderAsync: renderAsync))
