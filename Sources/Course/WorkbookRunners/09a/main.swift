// The check runner of exercise 09a: `swift run workbook check 09a` builds and starts it.
import Exercise09a
import WorkbookChecks

WorkbookRunner.main(Check09a.self, .init(findFirst: findFirst))
