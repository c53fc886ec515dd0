// The check runner of exercise 12a: `swift run workbook check 12a` builds and starts it.
import Exercise12a
import WorkbookChecks

WorkbookRunner.main(Check12a.self, .init(runPipeline: runPipeline))
