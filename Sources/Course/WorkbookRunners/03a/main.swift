// The check runner of exercise 03a: `swift run workbook check 03a` builds and starts it.
import Exercise03a
import WorkbookChecks

WorkbookRunner.main(Check03a.self, .init(renderInOrder: renderInOrder))
