// The check runner of exercise 13a: `swift run workbook check 13a` builds and starts it.
import Exercise13a
import WorkbookChecks

WorkbookRunner.main(Check13a.self, .init(executorType: MonitoredExecutor.self))
